"""The grammars' machinery: loading the ``.lark`` files of the package (:mod:`.grammars`) and the one module that
reads Lark's parse tables (:mod:`.lalr`).  Every stage runs its grammar through these two."""
