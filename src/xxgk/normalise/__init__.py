"""Stage 1 — bytes to normalised text: decoding, line ends, debris, Traditional→Simplified, width folding, and the
offset map that takes every position back to the original input.

    >>> from xxgk.normalise import normalise
    >>> norm = normalise("一、總體情況\\r\\n")
    >>> norm.text, norm.locate(3)
    ('一、总体情况\\n', (1, 4))
"""

from xxgk.normalise.decoding import decode
from xxgk.normalise.offsets import NormText
from xxgk.normalise.text import normalise

__all__ = ["NormText", "decode", "normalise"]
