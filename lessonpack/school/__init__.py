"""A school's settings: the school as templates see it, school.toml, its logo and brand colours."""
