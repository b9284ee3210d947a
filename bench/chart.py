#!/usr/bin/env python3
"""Draws the ratio table of bench/run.sh as a PNG bar chart, with nothing but the standard
library: one horizontal bar per metric, ours/builtin on a log2 scale, 1.00 marked.

usage: chart.py TABLE PNG [TITLE]
TABLE holds lines "metric ratio" (run.sh writes it); TITLE is one line of lowercase text."""
import math
import struct
import sys
import zlib

# A 5x7 pixel font for what the chart writes: lowercase letters, digits and a few signs.
GLYPHS = {
    'a': ".....|.....|.###.|....#|.####|#...#|.####", 'b': "#....|#....|####.|#...#|#...#|#...#|####.",
    'c': ".....|.....|.###.|#....|#....|#...#|.###.", 'd': "....#|....#|.####|#...#|#...#|#...#|.####",
    'e': ".....|.....|.###.|#...#|#####|#....|.###.", 'f': "..##.|.#..#|.#...|###..|.#...|.#...|.#...",
    'g': ".....|.####|#...#|#...#|.####|....#|.###.", 'h': "#....|#....|#.##.|##..#|#...#|#...#|#...#",
    'i': "..#..|.....|.##..|..#..|..#..|..#..|.###.", 'j': "...#.|.....|..##.|...#.|...#.|#..#.|.##..",
    'k': "#....|#....|#..#.|#.#..|##...|#.#..|#..#.", 'l': ".##..|..#..|..#..|..#..|..#..|..#..|.###.",
    'm': ".....|.....|##.#.|#.#.#|#.#.#|#...#|#...#", 'n': ".....|.....|#.##.|##..#|#...#|#...#|#...#",
    'o': ".....|.....|.###.|#...#|#...#|#...#|.###.", 'p': ".....|.....|####.|#...#|####.|#....|#....",
    'q': ".....|.....|.####|#...#|.####|....#|....#", 'r': ".....|.....|#.##.|##..#|#....|#....|#....",
    's': ".....|.....|.####|#....|.###.|....#|####.", 't': ".#...|.#...|###..|.#...|.#...|.#..#|..##.",
    'u': ".....|.....|#...#|#...#|#...#|#..##|.##.#", 'v': ".....|.....|#...#|#...#|#...#|.#.#.|..#..",
    'w': ".....|.....|#...#|#...#|#.#.#|#.#.#|.#.#.", 'x': ".....|.....|#...#|.#.#.|..#..|.#.#.|#...#",
    'y': ".....|.....|#...#|#...#|.####|....#|.###.", 'z': ".....|.....|#####|...#.|..#..|.#...|#####",
    '0': ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.", '1': "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
    '2': ".###.|#...#|....#|...#.|..#..|.#...|#####", '3': "#####|...#.|..#..|...#.|....#|#...#|.###.",
    '4': "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.", '5': "#####|#....|####.|....#|....#|#...#|.###.",
    '6': "..##.|.#...|#....|####.|#...#|#...#|.###.", '7': "#####|....#|...#.|..#..|.#...|.#...|.#...",
    '8': ".###.|#...#|#...#|.###.|#...#|#...#|.###.", '9': ".###.|#...#|#...#|.####|....#|...#.|.##..",
    '_': ".....|.....|.....|.....|.....|.....|#####", '.': ".....|.....|.....|.....|.....|.##..|.##..",
    '/': ".....|....#|...#.|..#..|.#...|#....|.....", ':': ".....|.##..|.##..|.....|.##..|.##..|.....",
    '=': ".....|.....|#####|.....|#####|.....|.....", '-': ".....|.....|.....|#####|.....|.....|.....",
    '(': "...#.|..#..|.#...|.#...|.#...|..#..|...#.", ')': ".#...|..#...|...#.|...#.|...#.|..#..|.#...",
    ',': ".....|.....|.....|.....|.##..|..#..|.#...", ' ': ".....|.....|.....|.....|.....|.....|.....",
}
SCALE = 2  # every font pixel is SCALE x SCALE
CHAR_W = 6 * SCALE
ROW_H = 11 * SCALE

WHITE, BLACK, GREY = (255, 255, 255), (40, 40, 40), (200, 200, 200)
FASTER, SLOWER = (60, 140, 80), (190, 70, 60)


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.rows = [bytearray(WHITE * width) for _ in range(height)]

    def rect(self, x0, y0, x1, y1, colour):
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        for y in range(max(0, y0), min(self.height, y1)):
            self.rows[y][3 * x0:3 * x1] = bytes(colour) * (x1 - x0)

    def text(self, x, y, string, colour=BLACK):
        for ch in string.lower():
            glyph = GLYPHS.get(ch, GLYPHS[' ']).split('|')
            for gy, line in enumerate(glyph):
                for gx, px in enumerate(line[:5]):
                    if px == '#':
                        self.rect(x + gx * SCALE, y + gy * SCALE, x + (gx + 1) * SCALE,
                                  y + (gy + 1) * SCALE, colour)
            x += CHAR_W

    def png(self):
        raw = b''.join(b'\0' + bytes(row) for row in self.rows)

        def chunk(kind, data):
            body = kind + data
            return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))

        header = struct.pack('>IIBBBBB', self.width, self.height, 8, 2, 0, 0, 0)
        return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) +
                chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = []
    with open(sys.argv[1]) as table:
        for line in table:
            parts = line.split()
            if len(parts) >= 2:
                rows.append((parts[0], float(parts[1])))
    title = sys.argv[3] if len(sys.argv) > 3 else 'openws2 / wine builtin'
    label_w = max(len(name) for name, _ in rows) * CHAR_W + 20
    lo = min(-2, math.floor(min(math.log2(r) for _, r in rows)))
    hi = max(2, math.ceil(max(math.log2(r) for _, r in rows)))
    scale = 60  # pixels per doubling
    plot_w = (hi - lo) * scale
    value_w = 10 * CHAR_W
    top = 3 * ROW_H
    width = label_w + plot_w + value_w + 20
    height = top + len(rows) * ROW_H + 2 * ROW_H
    c = Canvas(width, height)
    c.text(10, ROW_H // 2, title)
    c.text(10, ROW_H // 2 + ROW_H, 'ratio ours/builtin, log scale: right of 1 is faster')

    def x_of(log_ratio):
        return label_w + int((log_ratio - lo) * scale)

    axis_y = top + len(rows) * ROW_H
    for p in range(lo, hi + 1):  # grid at every power of two
        x = x_of(p)
        c.rect(x, top - 4, x + 1, axis_y, GREY)
        mark = ('%g' % (2.0 ** p)) if p >= 0 else '1/%d' % (2 ** -p)
        c.text(x - len(mark) * CHAR_W // 2, axis_y + 6, mark)
    one = x_of(0)
    for i, (name, ratio) in enumerate(rows):
        y = top + i * ROW_H
        c.text(label_w - 10 - len(name) * CHAR_W, y + 3 * SCALE // 2, name)
        end = x_of(max(lo, min(hi, math.log2(ratio))))
        c.rect(min(one, end), y + 2, max(one, end) + 1, y + ROW_H - 4,
               FASTER if ratio >= 1 else SLOWER)
        c.text(label_w + plot_w + 10, y + 3 * SCALE // 2,
               ('%.0fx' if ratio >= 100 else '%.2fx') % ratio)
    c.rect(one, top - 8, one + 2, axis_y, BLACK)
    with open(sys.argv[2], 'wb') as out:
        out.write(c.png())


if __name__ == '__main__':
    main()
