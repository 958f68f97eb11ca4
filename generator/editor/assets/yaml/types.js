export { A as Alias, C as Collection, M as Merge, N as Node, P as Pair, S as Scalar, d as YAMLMap, Y as YAMLSeq, b as binaryOptions, a as boolOptions, i as intOptions, n as nullOptions, s as strOptions } from './resolveSeq-492ab440.js';
export { S as Schema } from './Schema-e94716c8.js';
import './PlainValue-b8036b75.js';
import './warnings-df54cb69.js';
