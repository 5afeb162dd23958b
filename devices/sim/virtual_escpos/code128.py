"""CODE128 as ESC/POS sends it (GS k 73): data starts with ``{A``, ``{B`` or ``{C``.

Within the data ``{A`` / ``{B`` / ``{C`` switch code set, ``{S`` shifts one character, ``{1``-``{4``
are FNC1-FNC4 and ``{{`` is a literal ``{``. In code set C each byte is a value 0-99.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bar/space widths of symbol values 0-105 (from the CODE128 standard), then the stop pattern.
_WIDTH_TABLE = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232"
)
_WIDTHS = tuple(_WIDTH_TABLE.split(" "))
_STOP = "2331112"
_START = {"A": 103, "B": 104, "C": 105}
_SWITCH = {"A": 101, "B": 100, "C": 99}  # the value that switches *to* a set
_FNC = {
    "A": {"1": 102, "2": 97, "3": 96, "4": 101},
    "B": {"1": 102, "2": 97, "3": 96, "4": 100},
    "C": {"1": 102},
}


class Code128Error(ValueError):
    """The data cannot be encoded (a real printer ignores the command)."""


@dataclass(frozen=True, slots=True)
class Code128:
    values: tuple[int, ...]  # start, data symbols, checksum (stop not included)
    text: str  # human-readable interpretation (HRI)

    def modules(self) -> list[int]:
        """Alternating bar/space widths in modules, starting with a bar, stop included."""
        widths = [int(w) for value in self.values for w in _WIDTHS[value]]
        return widths + [int(w) for w in _STOP]


def _value(code_set: str, byte: int) -> int:
    if code_set == "A":
        if byte < 0x20:
            return byte + 64
        if byte < 0x60:
            return byte - 32
    elif code_set == "B":
        if 0x20 <= byte < 0x80:
            return byte - 32
    elif byte < 100:
        return byte
    raise Code128Error(f"byte {byte:#04x} is not in code set {code_set}")


def _hri(code_set: str, byte: int) -> str:
    if code_set == "C":
        return f"{byte:02d}"
    return chr(byte) if 0x20 <= byte < 0x7F else " "


def encode_code128(data: bytes) -> Code128:
    if len(data) < 2 or data[0] != ord("{") or chr(data[1]) not in _START:
        raise Code128Error("CODE128 data must start with {A, {B or {C")
    code_set = chr(data[1])
    values = [_START[code_set]]
    text: list[str] = []
    pos = 2
    while pos < len(data):
        byte = data[pos]
        if byte == ord("{"):
            if pos + 1 >= len(data):
                raise Code128Error("'{' at the end of the data")
            op = chr(data[pos + 1])
            pos += 2
            if op == "{":
                values.append(_value(code_set, ord("{")))
                text.append("{")
            elif op in _SWITCH:
                if op != code_set:
                    values.append(_SWITCH[op])
                    code_set = op
            elif op == "S" and code_set in "AB" and pos < len(data):
                other = "B" if code_set == "A" else "A"
                values += [98, _value(other, data[pos])]
                text.append(_hri(other, data[pos]))
                pos += 1
            elif op in _FNC[code_set]:
                values.append(_FNC[code_set][op])
            else:
                raise Code128Error(f"unknown escape {{{op} in code set {code_set}")
            continue
        values.append(_value(code_set, byte))
        text.append(_hri(code_set, byte))
        pos += 1
    if len(values) < 2:
        raise Code128Error("no data")
    checksum = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return Code128(tuple([*values, checksum]), "".join(text))
