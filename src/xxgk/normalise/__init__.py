"""Stage 1 — bytes to normalised text: decoding, line ends, debris, Traditional→Simplified, width folding, and the
offset map that takes every position back to the original input (:class:`~xxgk.normalise.text.NormText`)."""
