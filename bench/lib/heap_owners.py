#!/usr/bin/env python3
"""Who holds the arrays in a heap dump: the primitive arrays of one type (byte[] by default) grouped by their length
and the chain of fields that reaches them, largest total first.

    jcmd PID GC.heap_dump /tmp/agent.hprof         # live objects only (the JVM runs a full GC first)
    python3 bench/lib/heap_owners.py /tmp/agent.hprof --depth 4 --top 20

A class histogram says how many bytes are in byte[]; this says which field of which class keeps them, e.g.
"4096 B x 1,951: HeapByteBuffer.hb <- SocketTube$SliceBufferSource.current <- ...", so a per-target cost can be
traced to its owner before anything is changed. Each array is attributed to the first referrer found (one path of
possibly several), which is enough to find the large groups. Reads HPROF 1.0.2 with 8-byte identifiers, as HotSpot
writes them on 64-bit JVMs; the whole file is read into memory (a 73 MB dump took 10-16 s and 420 MB of RAM).
"""
import argparse
import collections
import struct
import sys

SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # HPROF basic types: object, boolean, char, ...
TYPES = {"boolean": 4, "char": 5, "float": 6, "double": 7, "byte": 8, "short": 9, "int": 10, "long": 11}
# Heap-dump sub-records that are roots: tag -> body length (8-byte identifiers).
ROOTS = {0xFF: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16}


class Dump:
    def __init__(self, data):
        self.data = data
        self.strings, self.class_names, self.layouts, self.supers = {}, {}, {}, {}
        self.instances, self.object_arrays, self.primitive_arrays = [], [], {}
        position = data.index(b"\0") + 1
        if struct.unpack_from(">I", data, position)[0] != 8:
            raise SystemExit("only dumps with 8-byte identifiers (64-bit HotSpot) are read")
        position += 12
        while position < len(data):
            tag, length = data[position], struct.unpack_from(">I", data, position + 5)[0]
            body = position + 9
            position = body + length
            if tag == 0x01:
                self.strings[self.id(body)] = data[body + 8:body + length].decode("utf8", "replace")
            elif tag == 0x02:
                self.class_names[self.id(body + 4)] = self.id(body + 16)
            elif tag in (0x0C, 0x1C):
                self.read_heap(body, body + length)

    def id(self, offset):
        return struct.unpack_from(">Q", self.data, offset)[0]

    def u4(self, offset):
        return struct.unpack_from(">I", self.data, offset)[0]

    def u2(self, offset):
        return struct.unpack_from(">H", self.data, offset)[0]

    def read_heap(self, q, end):
        data = self.data
        while q < end:
            sub = data[q]
            q += 1
            if sub in ROOTS:
                q += ROOTS[sub]
            elif sub == 0x20:  # class: constant pool and statics skipped, instance field layout kept
                cls, superclass = self.id(q), self.id(q + 12)
                q += 8 + 4 + 8 * 6 + 4
                count = self.u2(q)
                q += 2
                for _ in range(count):
                    q += 3 + SIZES[data[q + 2]]
                count = self.u2(q)
                q += 2
                for _ in range(count):
                    q += 9 + SIZES[data[q + 8]]
                count = self.u2(q)
                q += 2
                fields = []
                for _ in range(count):
                    fields.append((self.id(q), data[q + 8]))
                    q += 9
                self.layouts[cls], self.supers[cls] = fields, superclass
            elif sub == 0x21:  # instance
                size = self.u4(q + 20)
                self.instances.append((self.id(q), self.id(q + 12), q + 24))
                q += 24 + size
            elif sub == 0x22:  # object array
                count = self.u4(q + 12)
                self.object_arrays.append((self.id(q), self.id(q + 16), q + 24, count))
                q += 24 + 8 * count
            elif sub == 0x23:  # primitive array
                count, kind = self.u4(q + 12), data[q + 16]
                self.primitive_arrays[self.id(q)] = (kind, count)
                q += 17 + count * SIZES[kind]
            else:
                raise SystemExit("unknown heap-dump record 0x%x at offset %d" % (sub, q))

    def class_name(self, cls):
        return self.strings.get(self.class_names.get(cls), "?%x" % cls).replace("/", ".")

    def referrers(self):
        """Object id -> (the first "Class.field" or "Class[]" found pointing at it, the referrer's id)."""
        found, layouts = {}, {}
        for obj, cls, offset in self.instances:
            fields = layouts.get(cls)
            if fields is None:
                fields, walk = [], cls
                while walk:  # the dump lists a class's own fields first, then its superclass's
                    fields += [(self.strings.get(name, "?"), kind) for name, kind in self.layouts.get(walk, [])]
                    walk = self.supers.get(walk, 0)
                fields = layouts[cls] = [(self.class_name(cls) + "." + name, kind) for name, kind in fields]
            for name, kind in fields:
                if kind == 2:
                    target = self.id(offset)
                    if target and target not in found:
                        found[target] = (name, obj)
                offset += SIZES[kind]
        for obj, element_class, offset, count in self.object_arrays:
            label = self.class_name(element_class) + "[]"
            for i in range(count):
                target = self.id(offset + 8 * i)
                if target and target not in found:
                    found[target] = (label, obj)
        return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hprof")
    parser.add_argument("--type", default="byte", choices=sorted(TYPES), help="element type (default byte)")
    parser.add_argument("--depth", type=int, default=4, help="referrers to follow up from each array (default 4)")
    parser.add_argument("--min-bytes", type=int, default=512, help="ignore smaller arrays (default 512)")
    parser.add_argument("--top", type=int, default=20, help="groups to print (default 20)")
    args = parser.parse_args()
    dump = Dump(open(args.hprof, "rb").read())
    referrers = dump.referrers()
    kind, element = TYPES[args.type], SIZES[TYPES[args.type]]
    total, groups, counts = 0, collections.Counter(), collections.Counter()
    for obj, (array_kind, length) in dump.primitive_arrays.items():
        if array_kind != kind:
            continue
        total += length * element
        if length * element < args.min_bytes:
            continue
        chain, walk = [], obj
        while len(chain) < args.depth and walk in referrers:
            name, walk = referrers[walk]
            chain.append(name)
        key = (length * element, " <- ".join(chain) or "(no referrer: a root, or unreachable)")
        groups[key] += length * element
        counts[key] += 1
    print(f"{args.type}[]: {total:,} bytes in all; groups of arrays of at least {args.min_bytes} bytes:")
    for (size, chain), group_bytes in groups.most_common(args.top):
        print(f"{group_bytes:>12,} B = {size:>8,} B x {counts[(size, chain)]:>6,}  {chain}")


if __name__ == "__main__":
    sys.exit(main())
