"""The files a city uses: HTML pages from Jinja templates, the Word draft, the print PDF (Typst), the workbook,
the codebook, and the shared OOXML helpers."""
