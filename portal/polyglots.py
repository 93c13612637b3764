"""Uploads that are two things at once: refused for applications' attachments (applications/validators/uploads.py)
and for units' seals (portal/accounts/validators.py) alike."""

import re

# Polyglots: bytes that are a valid image and also a web page (markup in a comment, in the metadata,
# in crafted pixel data or appended after the image's end marker). Downloads are already served with
# their true type, `nosniff` and an extension matching the content, so this is defence in depth for
# anyone who saves and opens the file elsewhere. We refuse rather than re-encode: re-encoding would
# change the applicant's file (and the hash frozen into the filed version), lose detail in JPEG maps
# and cost a full decode of up to 40 megapixels per upload. The whole file is searched, with tags
# chosen long enough (6+ bytes with the delimiter, or a tag plus an on…= event handler) that random
# compressed pixel data matches by chance about once in 100,000 files of 20 MB (mostly "<html"),
# proportionally less for smaller ones; XMP metadata (<x:xmpmeta>, <rdf:RDF>) never matches.
# (PHP tags are not searched: this server never executes an upload.)
MARKUP = re.compile(
    rb"<(?:script|html|iframe|frame|object|embed|applet|!doctype)[\s/>]"
    rb"|<(?:svg|img|image|body|video|audio|input|details|marquee|style|a)[\s/][^<>]{0,200}?\bon[a-z]{3,20}\s*=",
    re.IGNORECASE,
)


def contains_markup(data):
    return MARKUP.search(data) is not None
