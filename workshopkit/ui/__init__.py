"""Everything Qt lives here. Nothing outside this package (and app.py) imports PySide6."""
