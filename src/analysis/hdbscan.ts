// HDBSCAN (Campello et al. 2013): core distances, mutual-reachability MST (Prim), condensed tree, excess-of-mass selection.
// Pure maths, O(n²·dim) time and O(n) memory: meant for low-dimensional inputs (3D layout / PCA) up to ~20k rows. No DOM.

export interface HdbscanOptions {
  /** Smallest group that counts as a cluster. */
  minClusterSize: number;
  /** Neighbours (the row itself included) whose distance is a row's core distance; defaults to minClusterSize. */
  minSamples?: number;
}

export interface HdbscanResult {
  /** Cluster of each row (0..clusterCount-1), or -1 for noise. */
  labels: Int32Array;
  clusterCount: number;
  /** Stability (excess of mass) of each selected cluster, in the order of its label. */
  stabilities: number[];
}

function dist(data: Float32Array, i: number, j: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const v = data[i * dim + d]! - data[j * dim + d]!;
    s += v * v;
  }
  return Math.sqrt(s);
}

export function hdbscan(data: Float32Array, rows: number, dim: number, options: HdbscanOptions): HdbscanResult {
  const n = rows;
  const mcs = Math.max(2, Math.floor(options.minClusterSize));
  const k = Math.max(1, Math.min(n, Math.floor(options.minSamples ?? mcs)));
  const labels = new Int32Array(n).fill(-1);
  if (n < mcs) return { labels, clusterCount: 0, stabilities: [] };

  // Core distance: distance to the k-th nearest row, counting the row itself (as scikit-learn does).
  const core = new Float64Array(n);
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    for (let j = 0; j < n; j++) {
      const d = i === j ? 0 : dist(data, i, j, dim);
      if (d >= best[k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1]! > d) {
        best[p] = best[p - 1]!;
        p--;
      }
      best[p] = d;
    }
    core[i] = best[k - 1]!;
  }

  // Prim's MST on mutual reachability max(core_i, core_j, d_ij).
  const inTree = new Uint8Array(n);
  const minEdge = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const edges: { a: number; b: number; w: number }[] = [];
  let current = 0;
  inTree[0] = 1;
  for (let step = 1; step < n; step++) {
    let next = -1;
    let nextW = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const w = Math.max(core[current]!, core[j]!, dist(data, current, j, dim));
      if (w < minEdge[j]!) {
        minEdge[j] = w;
        from[j] = current;
      }
      if (minEdge[j]! < nextW) {
        nextW = minEdge[j]!;
        next = j;
      }
    }
    inTree[next] = 1;
    edges.push({ a: from[next]!, b: next, w: nextW });
    current = next;
  }
  edges.sort((x, y) => x.w - y.w);

  // Single-linkage tree: leaves 0..n-1, merges n..2n-2.
  const parentUf = new Int32Array(2 * n - 1).map((_, i) => i);
  const find = (x: number): number => {
    while (parentUf[x] !== x) {
      parentUf[x] = parentUf[parentUf[x]!]!;
      x = parentUf[x]!;
    }
    return x;
  };
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const height = new Float64Array(n - 1);
  const size = new Int32Array(2 * n - 1).fill(1);
  edges.forEach((e, m) => {
    const ra = find(e.a);
    const rb = find(e.b);
    const node = n + m;
    left[m] = ra;
    right[m] = rb;
    height[m] = e.w;
    size[node] = size[ra]! + size[rb]!;
    parentUf[ra] = node;
    parentUf[rb] = node;
  });
  const root = 2 * n - 2;

  // Condensed tree: walk down from the root; a split makes two clusters only when both sides reach minClusterSize.
  const lambdaOf = (w: number): number => 1 / Math.max(w, 1e-12);
  const clusterParent: number[] = [-1];
  const clusterBirth: number[] = [0];
  const stability: number[] = [0];
  const pointCluster = new Int32Array(n);
  const leavesOf = (node: number, out: number[]): void => {
    const stack = [node];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < n) out.push(x);
      else {
        stack.push(left[x - n]!, right[x - n]!);
      }
    }
  };
  const fallOut = (node: number, c: number, lambda: number): void => {
    const pts: number[] = [];
    leavesOf(node, pts);
    for (const p of pts) pointCluster[p] = c;
    stability[c]! += pts.length * (lambda - clusterBirth[c]!);
  };
  const stack: { node: number; c: number }[] = [{ node: root, c: 0 }];
  while (stack.length > 0) {
    const { node, c } = stack.pop()!;
    if (node < n) {
      pointCluster[node] = c;
      continue;
    }
    const m = node - n;
    const lambda = lambdaOf(height[m]!);
    const l = left[m]!;
    const r = right[m]!;
    const bigL = size[l]! >= mcs;
    const bigR = size[r]! >= mcs;
    if (bigL && bigR) {
      stability[c]! += (size[l]! + size[r]!) * (lambda - clusterBirth[c]!);
      for (const child of [l, r]) {
        const id = clusterParent.length;
        clusterParent.push(c);
        clusterBirth.push(lambda);
        stability.push(0);
        stack.push({ node: child, c: id });
      }
    } else if (bigL) {
      fallOut(r, c, lambda);
      stack.push({ node: l, c });
    } else if (bigR) {
      fallOut(l, c, lambda);
      stack.push({ node: r, c });
    } else {
      fallOut(l, c, lambda);
      fallOut(r, c, lambda);
    }
  }

  // Excess of mass: keep a cluster when it is at least as stable as its selected descendants; the root never counts.
  const count = clusterParent.length;
  const children: number[][] = Array.from({ length: count }, () => []);
  for (let c = 1; c < count; c++) children[clusterParent[c]!]!.push(c);
  const selected = new Uint8Array(count);
  const subtree = new Float64Array(count);
  for (let c = count - 1; c >= 1; c--) {
    const kids = children[c]!;
    const childSum = kids.reduce((s, x) => s + subtree[x]!, 0);
    if (kids.length === 0 || stability[c]! >= childSum) {
      selected[c] = 1;
      subtree[c] = stability[c]!;
      const stackD = [...kids];
      while (stackD.length > 0) {
        const d = stackD.pop()!;
        selected[d] = 0;
        stackD.push(...children[d]!);
      }
    } else subtree[c] = childSum;
  }
  const labelOf = new Int32Array(count).fill(-1);
  const stabilities: number[] = [];
  let clusterCount = 0;
  for (let c = 1; c < count; c++) {
    if (selected[c]) {
      labelOf[c] = clusterCount++;
      stabilities.push(stability[c]!);
    }
  }
  for (let p = 0; p < n; p++) {
    let c = pointCluster[p]!;
    while (c > 0 && !selected[c]) c = clusterParent[c]!;
    labels[p] = c > 0 ? labelOf[c]! : -1;
  }
  return { labels, clusterCount, stabilities };
}
