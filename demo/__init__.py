"""The bilingual demo content of both organisations, and the benchmark's bulk-generated pages."""
