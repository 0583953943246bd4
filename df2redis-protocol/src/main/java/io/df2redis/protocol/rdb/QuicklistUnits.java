package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.CompactWriter;
import io.df2redis.protocol.rdb.ValueUnits.Sequence;
import io.netty.buffer.ByteBuf;

import java.util.Iterator;
import java.util.List;

/** The nodes of a quicklist value (types 14 and 18), one node per unit. */
final class QuicklistUnits {
    private QuicklistUnits() {
    }

    /**
     * Quicklist nodes: plan the node sizes in a first pass over the elements (PLAIN nodes for
     * big elements in type 18), then write one node per unit in a second pass.
     */
    static ValueUnits of(RdbEncoder enc, RdbType type, RdbValue.ListValue value) {
        boolean v2 = type == RdbType.LIST_QUICKLIST_2;
        IntList plan = new IntList(); // > 0: packed node of n elements, -1: PLAIN node
        int cur = 0;
        long curBytes = 0;
        for (byte[] e : value.elements()) {
            if (v2 && e.length >= enc.listPlainThreshold()) {
                if (cur > 0) {
                    plan.add(cur);
                    cur = 0;
                    curBytes = 0;
                }
                plan.add(-1);
                continue;
            }
            if (cur > 0 && (cur >= enc.listNodeMaxElements() || curBytes + e.length > enc.listNodeMaxBytes())) {
                plan.add(cur);
                cur = 0;
                curBytes = 0;
            }
            cur++;
            curBytes += e.length;
        }
        if (cur > 0) {
            plan.add(cur);
        }
        Iterator<byte[]> it = value.elements().iterator();
        List<Integer> nodes = new java.util.AbstractList<>() {
            @Override
            public Integer get(int index) {
                return plan.a[index];
            }

            @Override
            public int size() {
                return plan.n;
            }
        };
        return new Sequence<>(out -> RdbRecords.writeLength(out, plan.n), nodes.iterator(),
                (out, node, i) -> writeNode(enc, v2, out, node, it));
    }

    /** One node: a PLAIN node ({@code node < 0}) of one element, else a packed node of {@code node} elements. */
    private static void writeNode(RdbEncoder enc, boolean v2, ByteBuf out, int node, Iterator<byte[]> it) {
        byte[] bytes;
        if (node < 0) {
            RdbRecords.writeLength(out, 1);
            bytes = it.next();
        } else if (v2) {
            RdbRecords.writeLength(out, 2);
            CompactWriter.Listpack lp = new CompactWriter.Listpack();
            for (int k = 0; k < node; k++) {
                lp.add(it.next());
            }
            bytes = lp.build();
        } else {
            CompactWriter.Ziplist zl = new CompactWriter.Ziplist();
            for (int k = 0; k < node; k++) {
                zl.add(it.next());
            }
            bytes = zl.build();
        }
        if (enc.lzfListNodes()) {
            enc.writeLzfString(out, bytes);
        } else {
            enc.writeString(out, bytes);
        }
    }
}
