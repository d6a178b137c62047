;; Float32 GEMM for @recurrent/core, WebAssembly SIMD128 (no relaxed-simd).
;;
;;   C (M×N, row-major) = op(A) · op(B)  (+ C when accumulate)
;;   op(A) is M×K: A stored M×K, or K×M when transA.   op(B) is K×N: B stored K×N, or N×K when transB.
;;
;; A single row (M = 1) takes a GEMV path straight from op(B) instead (dot products or axpys, no packing).
;; Goto/BLIS structure: for each NC-wide column block and KC-deep slice, op(B) is packed into 8-column panels
;; (k-major, 8 floats per k); for each MC-tall row block op(A) is packed into 4-row panels (k-major, 4 floats per k).
;; Packing turns all four transpose cases into one layout, so one 4×8 register-blocked micro-kernel
;; (8 f32x4 accumulators, mul+add) does all the arithmetic. Panels are zero-padded at the ragged edges; edge tiles
;; are computed into a scratch tile and copied out element by element.
;;
;; All pointers are byte offsets into the exported memory. `work` must point to WORK_FLOATS (see gemm_work_floats)
;; 16-byte-aligned floats that the kernel may overwrite. The host owns allocation and growth of the memory.
(module
  (memory (export "memory") 1)

  (global $MC i32 (i32.const 128))
  (global $KC i32 (i32.const 256))
  (global $NC i32 (i32.const 2048))

  ;; Floats of scratch the driver needs: packed A block, packed B block, one 4×8 tile.
  (func (export "gemm_work_floats") (result i32)
    (i32.add
      (i32.add (i32.mul (global.get $MC) (global.get $KC)) (i32.mul (global.get $KC) (global.get $NC)))
      (i32.const 32)))

  ;; 4×8 micro-kernel. pa: packed A panel (kc×4), pb: packed B panel (kc×8), kc ≥ 1.
  ;; Writes the tile to pc (row stride ldc bytes), adding to what is there when add ≠ 0.
  ;; One k-step per iteration on purpose: with two, V8 hoists all loads of both steps and spills accumulators
  ;; (measured 23 vs 41 GFLOP/s on (2048×256)@(256×1024)).
  (func $kernel (param $pa i32) (param $pb i32) (param $kc i32) (param $pc i32) (param $ldc i32) (param $add i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128) (local $end i32) (local $p i32)
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $ks
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load32_splat (local.get $pa)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $ks (i32.lt_u (local.get $pb) (local.get $end))))
    (if (local.get $add)
      (then
        (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $pc))))
        (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $pc))))
        (local.set $p (i32.add (local.get $pc) (local.get $ldc)))
        (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $p))))
        (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $p))))
        (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $p))))
        (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $p))))))
    (v128.store (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
    (local.set $p (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store (local.get $p) (local.get $c10))
    (v128.store offset=16 (local.get $p) (local.get $c11))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (local.get $c20))
    (v128.store offset=16 (local.get $p) (local.get $c21))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (local.get $c30))
    (v128.store offset=16 (local.get $p) (local.get $c31)))

  ;; Packs rows [i0, i0+mc) × cols [k0, k0+kc) of op(A) into 4-row panels at dst: panel p holds
  ;; kc groups of 4 floats (rows 4p..4p+3 at one k). Rows past mc are zero.
  ;; lda: elements per stored row of A (K when not transposed, M when transposed).
  (func $packA (param $transA i32) (param $A i32) (param $lda i32) (param $i0 i32) (param $k0 i32)
               (param $mc i32) (param $kc i32) (param $dst i32)
    (local $ir i32) (local $k i32) (local $r i32) (local $rows i32) (local $src i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $ir (i32.const 0))
    (loop $panels
      (local.set $rows (i32.sub (local.get $mc) (local.get $ir)))
      (if (i32.ge_u (local.get $rows) (i32.const 4))
        (then
          (if (local.get $transA)
            (then
              ;; stored K×M: the 4 rows at one k are contiguous
              (local.set $src (i32.add (local.get $A)
                (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $lda)) (i32.add (local.get $i0) (local.get $ir)))
                         (i32.const 2))))
              (local.set $k (i32.const 0))
              (loop $ks
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.shl (local.get $lda) (i32.const 2))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br_if $ks (i32.lt_u (local.get $k) (local.get $kc)))))
            (else
              ;; stored M×K: walk four row pointers along k
              (local.set $r0 (i32.add (local.get $A)
                (i32.shl (i32.add (i32.mul (i32.add (local.get $i0) (local.get $ir)) (local.get $lda)) (local.get $k0))
                         (i32.const 2))))
              (local.set $r1 (i32.add (local.get $r0) (i32.shl (local.get $lda) (i32.const 2))))
              (local.set $r2 (i32.add (local.get $r1) (i32.shl (local.get $lda) (i32.const 2))))
              (local.set $r3 (i32.add (local.get $r2) (i32.shl (local.get $lda) (i32.const 2))))
              (local.set $k (i32.const 0))
              ;; four k at a time: load a 4×4 block and transpose it with shuffles
              (block $quads_done
                (loop $quads
                  (br_if $quads_done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $kc)))
                  (call $transpose4
                    (local.get $dst) (i32.const 16)
                    (v128.load (local.get $r0)) (v128.load (local.get $r1))
                    (v128.load (local.get $r2)) (v128.load (local.get $r3)))
                  (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
                  (local.set $r1 (i32.add (local.get $r1) (i32.const 16)))
                  (local.set $r2 (i32.add (local.get $r2) (i32.const 16)))
                  (local.set $r3 (i32.add (local.get $r3) (i32.const 16)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (br $quads)))
              (block $rest_done
                (loop $rest
                  (br_if $rest_done (i32.ge_u (local.get $k) (local.get $kc)))
                  (f32.store (local.get $dst) (f32.load (local.get $r0)))
                  (f32.store offset=4 (local.get $dst) (f32.load (local.get $r1)))
                  (f32.store offset=8 (local.get $dst) (f32.load (local.get $r2)))
                  (f32.store offset=12 (local.get $dst) (f32.load (local.get $r3)))
                  (local.set $r0 (i32.add (local.get $r0) (i32.const 4)))
                  (local.set $r1 (i32.add (local.get $r1) (i32.const 4)))
                  (local.set $r2 (i32.add (local.get $r2) (i32.const 4)))
                  (local.set $r3 (i32.add (local.get $r3) (i32.const 4)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br $rest))))))
        (else
          ;; ragged last panel: element by element, zero past the last row
          (local.set $k (i32.const 0))
          (loop $ks
            (local.set $r (i32.const 0))
            (loop $rs
              (f32.store (local.get $dst)
                (if (result f32) (i32.lt_u (local.get $r) (local.get $rows))
                  (then (f32.load (call $addr (local.get $transA) (local.get $A) (local.get $lda)
                      (i32.add (local.get $i0) (i32.add (local.get $ir) (local.get $r)))
                      (i32.add (local.get $k0) (local.get $k)))))
                  (else (f32.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $rs (i32.lt_u (local.get $r) (i32.const 4))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $ks (i32.lt_u (local.get $k) (local.get $kc))))))
      (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
      (br_if $panels (i32.lt_u (local.get $ir) (local.get $mc)))))

  ;; Stores the transpose of the 4×4 block whose rows are x0..x3: its row r (4 floats) at dst + r·stride bytes.
  (func $transpose4 (param $dst i32) (param $stride i32) (param $x0 v128) (param $x1 v128) (param $x2 v128) (param $x3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; t0 = x0[0] x1[0] x0[1] x1[1], t1 = x0[2] x1[2] x0[3] x1[3] (same for x2, x3)
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
    (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
    (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
    (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3))))

  ;; Byte address of op(X)[row, col] for X stored with ld elements per row (transposed when trans).
  (func $addr (param $trans i32) (param $X i32) (param $ld i32) (param $row i32) (param $col i32) (result i32)
    (i32.add (local.get $X)
      (i32.shl
        (if (result i32) (local.get $trans)
          (then (i32.add (i32.mul (local.get $col) (local.get $ld)) (local.get $row)))
          (else (i32.add (i32.mul (local.get $row) (local.get $ld)) (local.get $col))))
        (i32.const 2))))

  ;; Packs rows [k0, k0+kc) × cols [j0, j0+nc) of op(B) into 8-column panels at dst: panel p holds kc groups of
  ;; 8 floats (cols 8p..8p+7 at one k). Columns past nc are zero.
  ;; ldb: elements per stored row of B (N when not transposed, K when transposed).
  (func $packB (param $transB i32) (param $B i32) (param $ldb i32) (param $k0 i32) (param $j0 i32)
               (param $kc i32) (param $nc i32) (param $dst i32)
    (local $jr i32) (local $k i32) (local $c i32) (local $cols i32) (local $src i32) (local $out i32) (local $rs i32)
    (local.set $jr (i32.const 0))
    (loop $panels
      (local.set $cols (i32.sub (local.get $nc) (local.get $jr)))
      (if (i32.and (i32.ge_u (local.get $cols) (i32.const 8)) (i32.eqz (local.get $transB)))
        (then
          ;; stored K×N: the 8 columns at one k are contiguous
          (local.set $src (i32.add (local.get $B)
            (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $ldb)) (i32.add (local.get $j0) (local.get $jr)))
                     (i32.const 2))))
          (local.set $k (i32.const 0))
          (loop $ks
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (i32.shl (local.get $ldb) (i32.const 2))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $ks (i32.lt_u (local.get $k) (local.get $kc)))))
        (else
         (if (i32.ge_u (local.get $cols) (i32.const 8))
          (then
            ;; stored N×K, full panel: 8 row pointers along k; 4 k at a time as two transposed 4×4 blocks
            (local.set $src (i32.add (local.get $B)
              (i32.shl (i32.add (i32.mul (i32.add (local.get $j0) (local.get $jr)) (local.get $ldb)) (local.get $k0))
                       (i32.const 2))))
            (local.set $rs (i32.shl (local.get $ldb) (i32.const 2)))
            (local.set $k (i32.const 0))
            (block $quads_done
              (loop $quads
                (br_if $quads_done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $kc)))
                (call $transpose4 (local.get $dst) (i32.const 32)
                  (v128.load (local.get $src))
                  (v128.load (i32.add (local.get $src) (local.get $rs)))
                  (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 2))))
                  (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 3)))))
                (call $transpose4 (i32.add (local.get $dst) (i32.const 16)) (i32.const 32)
                  (v128.load (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 2))))
                  (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 5))))
                  (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 6))))
                  (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 7)))))
                (local.set $src (i32.add (local.get $src) (i32.const 16)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 128)))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $quads)))
            (block $rest_done
              (loop $rest
                (br_if $rest_done (i32.ge_u (local.get $k) (local.get $kc)))
                (local.set $c (i32.const 0))
                (loop $cs8
                  (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
                    (f32.load (i32.add (local.get $src) (i32.mul (local.get $c) (local.get $rs)))))
                  (local.set $c (i32.add (local.get $c) (i32.const 1)))
                  (br_if $cs8 (i32.lt_u (local.get $c) (i32.const 8))))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $rest))))
          (else
          ;; ragged last panel: one column at a time, zero padding
          (local.set $c (i32.const 0))
          (loop $cs
            (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $k (i32.const 0))
            (if (i32.lt_u (local.get $c) (local.get $cols))
              (then
                (loop $ks
                  (f32.store (local.get $out)
                    (f32.load (call $addr (local.get $transB) (local.get $B) (local.get $ldb)
                      (i32.add (local.get $k0) (local.get $k))
                      (i32.add (local.get $j0) (i32.add (local.get $jr) (local.get $c))))))
                  (local.set $out (i32.add (local.get $out) (i32.const 32)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $ks (i32.lt_u (local.get $k) (local.get $kc)))))
              (else
                (loop $ks
                  (f32.store (local.get $out) (f32.const 0))
                  (local.set $out (i32.add (local.get $out) (i32.const 32)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $ks (i32.lt_u (local.get $k) (local.get $kc))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br_if $cs (i32.lt_u (local.get $c) (i32.const 8))))
          (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))))))
      (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
      (br_if $panels (i32.lt_u (local.get $jr) (local.get $nc)))))

  ;; M = 1 with B stored N×K: C[j] = A·B[j, :] (+ C[j]); dot products straight from B, no packing.
  (func $gemvT (param $A i32) (param $B i32) (param $C i32) (param $N i32) (param $K i32) (param $add i32)
    (local $j i32) (local $k i32) (local $a i32) (local $p i32) (local $acc0 v128) (local $acc1 v128) (local $s f32)
    (local.set $j (i32.const 0))
    (loop $rows
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $acc1 (v128.const i32x4 0 0 0 0))
      (local.set $a (local.get $A))
      (local.set $p (i32.add (local.get $B) (i32.shl (i32.mul (local.get $j) (local.get $K)) (i32.const 2))))
      (local.set $k (i32.const 0))
      (block $eights_done
        (loop $eights
          (br_if $eights_done (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $K)))
          (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $p)))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $p)))))
          (local.set $a (i32.add (local.get $a) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $k (i32.add (local.get $k) (i32.const 8)))
          (br $eights)))
      (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
      (local.set $s (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
      (block $tail_done
        (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $p)))))
          (local.set $a (i32.add (local.get $a) (i32.const 4)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $tail)))
      (local.set $p (i32.add (local.get $C) (i32.shl (local.get $j) (i32.const 2))))
      (if (local.get $add) (then (local.set $s (f32.add (f32.load (local.get $p)) (local.get $s)))))
      (f32.store (local.get $p) (local.get $s))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $j) (local.get $N)))))

  ;; M = 1 with B stored K×N: C (+)= Σ_k A[k]·B[k, :], a SIMD axpy per row of B, no packing.
  (func $gemvN (param $A i32) (param $B i32) (param $C i32) (param $N i32) (param $K i32) (param $add i32)
    (local $k i32) (local $j i32) (local $row i32) (local $a v128) (local $c i32)
    (if (i32.eqz (local.get $add)) (then (memory.fill (local.get $C) (i32.const 0) (i32.shl (local.get $N) (i32.const 2)))))
    (local.set $k (i32.const 0))
    (loop $ks
      (local.set $a (v128.load32_splat (i32.add (local.get $A) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $row (i32.add (local.get $B) (i32.shl (i32.mul (local.get $k) (local.get $N)) (i32.const 2))))
      (local.set $c (local.get $C))
      (local.set $j (i32.const 0))
      (block $quads_done
        (loop $quads
          (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $N)))
          (v128.store (local.get $c)
            (f32x4.add (v128.load (local.get $c)) (f32x4.mul (local.get $a) (v128.load (local.get $row)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $quads)))
      (block $tail_done
        (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $j) (local.get $N)))
          (f32.store (local.get $c)
            (f32.add (f32.load (local.get $c)) (f32.mul (f32x4.extract_lane 0 (local.get $a)) (f32.load (local.get $row)))))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $tail)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $ks (i32.lt_u (local.get $k) (local.get $K)))))

  ;; C = op(A)·op(B) (+ C when accumulate). A, B, C, work: byte offsets (work 16-byte aligned).
  (func (export "gemm") (param $transA i32) (param $transB i32) (param $M i32) (param $N i32) (param $K i32)
        (param $A i32) (param $B i32) (param $C i32) (param $accumulate i32) (param $work i32)
    (call $gemmImpl (local.get $transA) (local.get $transB) (local.get $M) (local.get $N) (local.get $K)
      (local.get $A) (local.get $B) (local.get $C) (local.get $accumulate) (local.get $work) (i32.const 0) (i32.const 0)))

  ;; Like gemm, with op(B) already packed by pack_b (for the same N and K) at packedB: no per-call packing of B.
  (func (export "gemm_prepacked") (param $transA i32) (param $M i32) (param $N i32) (param $K i32)
        (param $A i32) (param $packedB i32) (param $C i32) (param $accumulate i32) (param $work i32)
    (call $gemmImpl (local.get $transA) (i32.const 0) (local.get $M) (local.get $N) (local.get $K)
      (local.get $A) (local.get $packedB) (local.get $C) (local.get $accumulate) (local.get $work) (i32.const 1) (i32.const 0)))

  ;; Rows m0…m1 of C = op(A)·op(B) (+ C), as gemm (prepacked = 0) or gemm_prepacked (prepacked ≠ 0, B from pack_b)
  ;; computes them: every element is summed in the same order, so splitting a product into row ranges (one per
  ;; thread) gives exactly the numbers of the whole product. M is op(A)'s full row count.
  (func (export "gemm_rows") (param $transA i32) (param $transB i32) (param $M i32) (param $m0 i32) (param $m1 i32)
        (param $N i32) (param $K i32) (param $A i32) (param $B i32) (param $C i32) (param $accumulate i32)
        (param $work i32) (param $prepacked i32)
    (call $gemmImpl (local.get $transA) (local.get $transB) (i32.sub (local.get $m1) (local.get $m0)) (local.get $N) (local.get $K)
      (i32.add (local.get $A) (i32.shl (select (local.get $m0) (i32.mul (local.get $m0) (local.get $K)) (local.get $transA)) (i32.const 2)))
      (local.get $B)
      (i32.add (local.get $C) (i32.shl (i32.mul (local.get $m0) (local.get $N)) (i32.const 2)))
      (local.get $accumulate) (local.get $work) (local.get $prepacked)
      (select (local.get $M) (i32.const 0) (local.get $transA))))

;; W [N, K] at src (N a multiple of 16) into the layout gemv16 reads, at dst: W16[g][k][r] = W[16g + r][k].
  ;; Four rows × four k at a time through $transpose4; a scalar tail when K is not a multiple of 4.
  (func (export "interleave16") (param $src i32) (param $dst i32) (param $N i32) (param $K i32)
    (local $g i32) (local $rb i32) (local $k i32) (local $kv i32) (local $r0 i32) (local $rowBytes i32) (local $i i32)
    (local.set $rowBytes (i32.shl (local.get $K) (i32.const 2)))
    (local.set $kv (i32.and (local.get $K) (i32.const -4)))
    (local.set $g (i32.const 0))
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (i32.shl (local.get $g) (i32.const 4)) (local.get $N)))
        (local.set $rb (i32.const 0))
        (loop $blocks
          ;; first of the block's four rows: row 16g + 4rb
          (local.set $r0 (i32.add (local.get $src)
            (i32.mul (i32.add (i32.shl (local.get $g) (i32.const 4)) (i32.shl (local.get $rb) (i32.const 2))) (local.get $rowBytes))))
          (local.set $k (i32.const 0))
          (block $vecDone
            (loop $vec
              (br_if $vecDone (i32.ge_u (local.get $k) (local.get $kv)))
              (call $transpose4
                (i32.add (local.get $dst) (i32.shl (i32.add (i32.shl (i32.add (i32.mul (local.get $g) (local.get $K)) (local.get $k)) (i32.const 4))
                                                           (i32.shl (local.get $rb) (i32.const 2))) (i32.const 2)))
                (i32.const 64)
                (v128.load (i32.add (local.get $r0) (i32.shl (local.get $k) (i32.const 2))))
                (v128.load (i32.add (i32.add (local.get $r0) (local.get $rowBytes)) (i32.shl (local.get $k) (i32.const 2))))
                (v128.load (i32.add (i32.add (local.get $r0) (i32.shl (local.get $rowBytes) (i32.const 1))) (i32.shl (local.get $k) (i32.const 2))))
                (v128.load (i32.add (i32.add (local.get $r0) (i32.mul (local.get $rowBytes) (i32.const 3))) (i32.shl (local.get $k) (i32.const 2)))))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br $vec)))
          (block $tailDone
            (loop $tail
              (br_if $tailDone (i32.ge_u (local.get $k) (local.get $K)))
              (local.set $i (i32.const 0))
              (loop $rows
                (f32.store
                  (i32.add (local.get $dst) (i32.shl (i32.add (i32.shl (i32.add (i32.mul (local.get $g) (local.get $K)) (local.get $k)) (i32.const 4))
                                                             (i32.add (i32.shl (local.get $rb) (i32.const 2)) (local.get $i))) (i32.const 2)))
                  (f32.load (i32.add (i32.add (local.get $r0) (i32.mul (local.get $i) (local.get $rowBytes))) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $rows (i32.lt_u (local.get $i) (i32.const 4))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $tail)))
          (local.set $rb (i32.add (local.get $rb) (i32.const 1)))
          (br_if $blocks (i32.lt_u (local.get $rb) (i32.const 4))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groups))))

  ;; Single-row product for batch-1 generation with W in the interleaved layout of interleave16 (16 rows at a time:
  ;; W16[g][k][r] = W[16g + r][k], N a multiple of 16): C[n] = (C[n] +) Σ_k A[k]·W[n][k], each row summed in k order.
  ;; One splat of A[k] serves 16 rows, so the loop does 5 loads per 16 multiply-adds instead of gemvT's 2 per 4.
  (func (export "gemv16") (param $A i32) (param $W i32) (param $C i32) (param $N i32) (param $K i32) (param $accumulate i32)
    (local $g i32) (local $a v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $ap i32) (local $end i32)
    (if (i32.or (i32.eqz (local.get $N)) (i32.eqz (local.get $K)))
      (then
        (if (i32.eqz (local.get $accumulate)) (then (memory.fill (local.get $C) (i32.const 0) (i32.shl (local.get $N) (i32.const 2)))))
        (return)))
    (local.set $end (i32.add (local.get $A) (i32.shl (local.get $K) (i32.const 2))))
    (local.set $g (i32.const 0))
    (loop $groups
      (local.set $c0 (v128.const i32x4 0 0 0 0))
      (local.set $c1 (v128.const i32x4 0 0 0 0))
      (local.set $c2 (v128.const i32x4 0 0 0 0))
      (local.set $c3 (v128.const i32x4 0 0 0 0))
      (local.set $ap (local.get $A))
      (loop $ks
        (local.set $a (v128.load32_splat (local.get $ap)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $a) (v128.load (local.get $W)))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $W)))))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $a) (v128.load offset=32 (local.get $W)))))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $a) (v128.load offset=48 (local.get $W)))))
        (local.set $W (i32.add (local.get $W) (i32.const 64)))
        (local.set $ap (i32.add (local.get $ap) (i32.const 4)))
        (br_if $ks (i32.lt_u (local.get $ap) (local.get $end))))
      (if (local.get $accumulate)
        (then
          (local.set $c0 (f32x4.add (v128.load (local.get $C)) (local.get $c0)))
          (local.set $c1 (f32x4.add (v128.load offset=16 (local.get $C)) (local.get $c1)))
          (local.set $c2 (f32x4.add (v128.load offset=32 (local.get $C)) (local.get $c2)))
          (local.set $c3 (f32x4.add (v128.load offset=48 (local.get $C)) (local.get $c3)))))
      (v128.store (local.get $C) (local.get $c0))
      (v128.store offset=16 (local.get $C) (local.get $c1))
      (v128.store offset=32 (local.get $C) (local.get $c2))
      (v128.store offset=48 (local.get $C) (local.get $c3))
      (local.set $C (i32.add (local.get $C) (i32.const 64)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (br_if $groups (i32.lt_u (local.get $g) (local.get $N)))))

  ;; Packs op(B) (K×N; B stored N×K when transB) into dst in the order gemm_prepacked consumes it: for each
  ;; NC-column block, for each KC-deep slice, the 8-column panels of packB. dst needs roundup8(N)·K floats.
  (func (export "pack_b") (param $transB i32) (param $N i32) (param $K i32) (param $B i32) (param $dst i32)
    (local $jc i32) (local $pc i32) (local $nc i32) (local $kc i32)
    (if (i32.or (i32.eqz (local.get $N)) (i32.eqz (local.get $K))) (then (return)))
    (local.set $jc (i32.const 0))
    (loop $jcs
      (local.set $nc (i32.sub (local.get $N) (local.get $jc)))
      (if (i32.gt_u (local.get $nc) (global.get $NC)) (then (local.set $nc (global.get $NC))))
      (local.set $pc (i32.const 0))
      (loop $pcs
        (local.set $kc (i32.sub (local.get $K) (local.get $pc)))
        (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
        (call $packB (local.get $transB) (local.get $B) (select (local.get $K) (local.get $N) (local.get $transB))
                     (local.get $pc) (local.get $jc) (local.get $kc) (local.get $nc) (local.get $dst))
        (local.set $dst (i32.add (local.get $dst) (call $packedBytes (local.get $nc) (local.get $kc))))
        (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
        (br_if $pcs (i32.lt_u (local.get $pc) (local.get $K))))
      (local.set $jc (i32.add (local.get $jc) (local.get $nc)))
      (br_if $jcs (i32.lt_u (local.get $jc) (local.get $N)))))

  ;; Bytes of one packed nc×kc block of B (columns rounded up to whole 8-column panels).
  (func $packedBytes (param $nc i32) (param $kc i32) (result i32)
    (i32.shl (i32.mul (i32.and (i32.add (local.get $nc) (i32.const 7)) (i32.const -8)) (local.get $kc)) (i32.const 2)))

  ;; The blocked driver; with prepacked ≠ 0, B is the output of pack_b and is consumed block by block.
  (func $gemmImpl (param $transA i32) (param $transB i32) (param $M i32) (param $N i32) (param $K i32)
        (param $A i32) (param $B i32) (param $C i32) (param $accumulate i32) (param $work i32) (param $prepacked i32)
        (param $ldaIn i32)
    (local $lda i32) (local $ldb i32) (local $ldc i32)
    (local $jc i32) (local $pc i32) (local $ic i32) (local $jr i32) (local $ir i32)
    (local $nc i32) (local $kc i32) (local $mc i32) (local $nr i32) (local $mr i32)
    (local $packedA i32) (local $packedB i32) (local $tile i32) (local $add i32)
    (local $cptr i32) (local $r i32) (local $c i32) (local $dst i32) (local $v f32)
    (if (i32.or (i32.eqz (local.get $M)) (i32.eqz (local.get $N))) (then (return)))
    (if (i32.eqz (local.get $K))
      (then
        (if (i32.eqz (local.get $accumulate))
          (then (memory.fill (local.get $C) (i32.const 0) (i32.shl (i32.mul (local.get $M) (local.get $N)) (i32.const 2)))))
        (return)))
    ;; a single row (generation at batch 1): A is contiguous either way; skip packing entirely
    (if (i32.and (i32.and (i32.eq (local.get $M) (i32.const 1)) (i32.eqz (local.get $prepacked)))
                 (i32.or (i32.eqz (local.get $transA)) (i32.eqz (local.get $ldaIn))))
      (then
        (if (local.get $transB)
          (then (call $gemvT (local.get $A) (local.get $B) (local.get $C) (local.get $N) (local.get $K) (local.get $accumulate)))
          (else (call $gemvN (local.get $A) (local.get $B) (local.get $C) (local.get $N) (local.get $K) (local.get $accumulate))))
        (return)))
    (local.set $lda (select (local.get $M) (local.get $K) (local.get $transA)))
    (if (local.get $ldaIn) (then (local.set $lda (local.get $ldaIn))))
    (local.set $ldb (select (local.get $K) (local.get $N) (local.get $transB)))
    (local.set $ldc (i32.shl (local.get $N) (i32.const 2)))
    (local.set $packedA (local.get $work))
    (local.set $packedB (i32.add (local.get $work) (i32.shl (i32.mul (global.get $MC) (global.get $KC)) (i32.const 2))))
    (local.set $tile (i32.add (local.get $packedB) (i32.shl (i32.mul (global.get $KC) (global.get $NC)) (i32.const 2))))
    (local.set $jc (i32.const 0))
    (loop $jcs
      (local.set $nc (i32.sub (local.get $N) (local.get $jc)))
      (if (i32.gt_u (local.get $nc) (global.get $NC)) (then (local.set $nc (global.get $NC))))
      (local.set $pc (i32.const 0))
      (loop $pcs
        (local.set $kc (i32.sub (local.get $K) (local.get $pc)))
        (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
        (local.set $add (i32.or (local.get $accumulate) (i32.ne (local.get $pc) (i32.const 0))))
        (if (local.get $prepacked)
          (then
            (local.set $packedB (local.get $B))
            (local.set $B (i32.add (local.get $B) (call $packedBytes (local.get $nc) (local.get $kc)))))
          (else
            (call $packB (local.get $transB) (local.get $B) (local.get $ldb) (local.get $pc) (local.get $jc)
                         (local.get $kc) (local.get $nc) (local.get $packedB))))
        (local.set $ic (i32.const 0))
        (loop $ics
          (local.set $mc (i32.sub (local.get $M) (local.get $ic)))
          (if (i32.gt_u (local.get $mc) (global.get $MC)) (then (local.set $mc (global.get $MC))))
          (call $packA (local.get $transA) (local.get $A) (local.get $lda) (local.get $ic) (local.get $pc)
                       (local.get $mc) (local.get $kc) (local.get $packedA))
          (local.set $jr (i32.const 0))
          (loop $jrs
            (local.set $nr (i32.sub (local.get $nc) (local.get $jr)))
            (if (i32.gt_u (local.get $nr) (i32.const 8)) (then (local.set $nr (i32.const 8))))
            (local.set $ir (i32.const 0))
            (loop $irs
              (local.set $mr (i32.sub (local.get $mc) (local.get $ir)))
              (if (i32.gt_u (local.get $mr) (i32.const 4)) (then (local.set $mr (i32.const 4))))
              (local.set $cptr (i32.add (local.get $C)
                (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                         (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
              (if (i32.and (i32.eq (local.get $mr) (i32.const 4)) (i32.eq (local.get $nr) (i32.const 8)))
                (then
                  (call $kernel
                    (i32.add (local.get $packedA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                    (i32.add (local.get $packedB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                    (local.get $kc) (local.get $cptr) (local.get $ldc) (local.get $add)))
                (else
                  (call $kernel
                    (i32.add (local.get $packedA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                    (i32.add (local.get $packedB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                    (local.get $kc) (local.get $tile) (i32.const 32) (i32.const 0))
                  (local.set $r (i32.const 0))
                  (loop $rs
                    (local.set $c (i32.const 0))
                    (loop $cs
                      (local.set $dst (i32.add (i32.add (local.get $cptr) (i32.mul (local.get $r) (local.get $ldc)))
                                               (i32.shl (local.get $c) (i32.const 2))))
                      (local.set $v (f32.load (i32.add (local.get $tile)
                        (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $c)) (i32.const 2)))))
                      (if (local.get $add) (then (local.set $v (f32.add (f32.load (local.get $dst)) (local.get $v)))))
                      (f32.store (local.get $dst) (local.get $v))
                      (local.set $c (i32.add (local.get $c) (i32.const 1)))
                      (br_if $cs (i32.lt_u (local.get $c) (local.get $nr))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br_if $rs (i32.lt_u (local.get $r) (local.get $mr))))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br_if $irs (i32.lt_u (local.get $ir) (local.get $mc))))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br_if $jrs (i32.lt_u (local.get $jr) (local.get $nc))))
          (local.set $ic (i32.add (local.get $ic) (local.get $mc)))
          (br_if $ics (i32.lt_u (local.get $ic) (local.get $M))))
        (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
        (br_if $pcs (i32.lt_u (local.get $pc) (local.get $K))))
      (local.set $jc (i32.add (local.get $jc) (local.get $nc)))
      (br_if $jcs (i32.lt_u (local.get $jc) (local.get $N)))))
)
