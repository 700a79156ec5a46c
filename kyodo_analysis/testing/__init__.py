"""For the tests and bench/ only: the generator of messy plan tables. Production code never imports it."""
