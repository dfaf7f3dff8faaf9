"""Files the app writes: CSV and workshop files here; PDFs and QR codes join later. No Qt."""
