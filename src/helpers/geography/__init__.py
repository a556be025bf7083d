"""Dutch geography: boundaries, crosswalks, recoding, place names, joins, user files."""
