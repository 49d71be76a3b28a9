"""Resolution of extracted mentions against reference data: places (gazetteer), actors, dates."""
