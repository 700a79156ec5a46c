"""The plan table: reading it safely, parsing it, writing it back (the inverse of the parser), its structure,
the Excel readers, and the tidy frames (``load_<thing>()``). Imports only the ground, and no display words."""
