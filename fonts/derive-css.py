#!/usr/bin/env python3
"""Writes noto-sans-sc.css from the package's 400.css (run after `npm ci` here when the version in
package.json changes): woff2 only, and each face's unicode-range cut to U+2E80 and above (CJK
radicals, punctuation, ideographs, full-width forms), so Latin text never asks for a Chinese face
and an English page loads only the faces of the Chinese characters it shows."""
import re

css = open('node_modules/@fontsource/noto-sans-sc/400.css', encoding='utf-8').read()
out = []
for block in re.findall(r'@font-face \{.*?\}', css, re.S):
    woff2 = re.search(r"url\(\./files/([^)]+\.woff2)\)", block).group(1)
    if not re.fullmatch(r'noto-sans-sc-\d+-400-normal\.woff2', woff2):
        continue  # the latin, latin-ext, cyrillic and vietnamese faces: the page's own fonts serve those
    ranges = re.search(r'unicode-range: ([^;]+);', block).group(1).split(',')
    keep = [r.strip() for r in ranges if int(r.strip()[2:].split('-')[0], 16) >= 0x2E80]
    if keep:
        out.append("@font-face {\n  font-family: 'Noto Sans SC';\n  font-style: normal;\n  font-display: swap;\n"
                   "  font-weight: 400;\n  src: url(files/%s) format('woff2');\n  unicode-range: %s;\n}" % (woff2, ','.join(keep)))
open('noto-sans-sc.css', 'w', encoding='utf-8').write('\n'.join(out) + '\n')
