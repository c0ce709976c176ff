"""`python -m generator.pipeline.verify.linkcheck_run ARGS`: LinkChecker's command line for kb's
own built sites.

Two changes to LinkChecker's own, both because kb only checks the site it just built, served on
127.0.0.1:
- Run as root (as CI containers do), LinkChecker switches its effective user to `nobody` before
  it loads its plugins; when the virtual environment sits in a folder `nobody` cannot read (a
  `mktemp -d` clone, mode 0700), plugins silently fail to load. The switch protects nothing here.
- LinkChecker does not follow the links of a page whose `<meta name="robots">` says `nofollow`.
  Every internal page says so (to search engines), so without this the internal site's links
  would go unchecked beyond its home page.
"""

from linkcheck.checker.httpurl import HttpUrl
from linkcheck.command import linkchecker as command

command.drop_privileges = lambda: None
HttpUrl.content_allows_robots = lambda self: True
command.linkchecker()
