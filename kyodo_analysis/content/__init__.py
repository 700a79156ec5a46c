"""What a reader is told: formatting for readers, the narrative as blocks, the catalog of the review's sections,
tables and figures, and the document model the writers print."""
