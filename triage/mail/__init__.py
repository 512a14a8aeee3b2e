"""Pure mail logic: parsing, charsets, forwards, segments, classification. No I/O, no database."""
