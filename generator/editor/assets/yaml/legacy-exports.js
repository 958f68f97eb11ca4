export { b as binary, f as floatTime, i as intTime, o as omap, p as pairs, s as set, t as timestamp, c as warnFileDeprecation } from './warnings-df54cb69.js';
import './PlainValue-b8036b75.js';
import './resolveSeq-492ab440.js';
