"""Reports side by side: agencies across years (``xxgk panel``: :mod:`.series` over :mod:`.grouping`, :mod:`.pairs`,
:mod:`.rows`), two reports compared (``xxgk compare``: :mod:`.compare` over :mod:`.comparison`), one HTML page of
forms and findings (``xxgk view``: :mod:`.view` over :mod:`.page`, :mod:`.forms`, :mod:`.marks`, :mod:`.chart`); what
they share in :mod:`.reports` and :mod:`.options`."""
