"""Every format of every command, written one way: for each command's result, a `FORMATS` table
from format name to a function `result -> str` (one small module per format where there are
several, as in `check/`). The CLI picks the function and writes the string; nothing here prints.

    check/         kb check: text, json, junit, github, sarif
    verify.py      kb verify: text, json, junit
    freshness.py   kb report freshness: text, json, csv, markdown
    health.py      kb report health: text, json, markdown
    translations.py  kb report translations: text, json, markdown
    rules.py       kb rules: text, markdown
    junit.py       the JUnit document check and verify share
"""
