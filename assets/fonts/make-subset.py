"""Makes the shipped fonts from Noto Sans CJK SC (SIL OFL 1.1, Debian's fonts-noto-cjk), subset to
GB2312 (6,763 Han characters and its symbols) plus ASCII, punctuation and a list of name
characters outside GB2312 (堃 喆 珺 玥 犇 垚 镕 赟 …):

- the UI font, Regular, as WOFF2 (≈ 2.5 MB instead of ≈ 8 MB for all of GBK). Anything rarer
  falls back to the system's CJK font (Microsoft YaHei on Windows, Noto Sans CJK / WenQuanYi on
  Kylin and UOS), named after this one in the UI's font-family list;
- the print fonts, Regular and Bold, as OpenType (CFF) files that cunjing-print embeds in the
  binary and Typst subsets again into each PDF (docs/decisions/0009). Printing has no fallback,
  so a character outside this set prints as a blank box: add rare name characters to NAME_CHARS.

    pip install fonttools brotli
    python3 assets/fonts/make-subset.py [/usr/share/fonts/opentype/noto]
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection

NOTO_DIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"
NAME_CHARS = "堃喆珺玥犇垚镕赟昇曌炜玮琳钰淼焱鑫森磊晟睿昕祎祯禛熠烨煜婧婕姝妍嫣婷娅娜晗琦瑾瑜璇璐琰珏玺琛瑄旻昀暄晞"


def charset():
    chars = set(range(0x20, 0x7F))
    for cp in range(0x80, 0x10000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(cp)
    chars.update(ord(c) for c in NAME_CHARS)
    chars.update(range(0x2000, 0x2070))  # general punctuation (— ‘ ’ “ ” … ‰)
    chars.update(range(0x2460, 0x24A0))  # ① ② …
    chars.update(range(0x3000, 0x3040))  # CJK punctuation
    chars.update(range(0xFF00, 0xFFF0))  # full-width forms
    chars.update(ord(c) for c in "☎★☆●○■□▲△◆◇√×÷±·")
    return chars


def make(ttc, out, flavor=None):
    collection = TTCollection(f"{NOTO_DIR}/{ttc}")
    font = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    chars = charset()
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    font.flavor = flavor
    font.save(out)
    print(out, len(chars), "code points")


make("NotoSansCJK-Regular.ttc", "assets/fonts/NotoSansSC-Regular-GB2312.woff2", flavor="woff2")
make("NotoSansCJK-Regular.ttc", "assets/fonts/NotoSansSC-Regular-Print.otf")
make("NotoSansCJK-Bold.ttc", "assets/fonts/NotoSansSC-Bold-Print.otf")
