"""What chapters import to make a page: traced numbers and sentences (fmt), key findings, charts, data-made
section headings, diagrams and escaping. Reads the data (icebook.data); never the build."""
