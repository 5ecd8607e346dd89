"""Placeholder; replaced by the citation grammar."""
class CitationError(ValueError):
    pass
def parse_folios(text): return ()
def format_folio_list(f): return ""
def first_folio_number(s): return None
