"""Reports side by side: agencies across years (:mod:`.series`), two reports compared (:mod:`.compare`), one HTML
page of forms and findings (:mod:`.view`)."""
