"""Field extractors: each reads a zone (a Reading) and yields Candidates for the fields it knows."""
