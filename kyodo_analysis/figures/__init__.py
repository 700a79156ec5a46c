"""The figures: drawing (each returns an ``Axes``), paging of per-measure figures, saving and showing them."""
