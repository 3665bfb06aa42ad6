"""The spaCy pipeline and one module per extractor (entities, attribution, quantities, times, places, events)."""
