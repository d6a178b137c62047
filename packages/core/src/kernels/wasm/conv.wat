;; Depthwise 3×3 convolution for @recurrent/core, WebAssembly SIMD128, sharing the gemm module's memory (imported).
;;
;; MobileNet's depthwise layers (groups = channels, multiplier 1, 3×3, dilation 1, stride 1 or 2): each channel plane
;; is copied into a zero-bordered scratch plane, then every output row is computed four outputs at a time —
;; bias + the nine taps, added in the same order as the TypeScript kernel (row 0 taps 0..2, row 1, row 2), in
;; float32. Stride 2 reads eight consecutive inputs and keeps the even or odd lanes with a shuffle. All pointers
;; are byte offsets into the imported memory; float32 buffers.
(module
  (import "env" "memory" (memory 1))

  ;; x [C, H, W] → out [C, oH, oW]; weights [C, 9] (row-major taps); bias [C] or 0 for none; pT, pL: zero rows and
  ;; columns before the image (the padded plane is Hp = (oH − 1)·stride + 3 by Wp = (oW − 1)·stride + 3, so padding
  ;; after the image is whatever that leaves); scratch holds Hp·Wp + 8 floats (vector reads run up to 7 floats past
  ;; a row's end; the lanes they feed are never stored).
  (func (export "depthwise3x3")
    (param $x i32) (param $C i32) (param $H i32) (param $W i32) (param $pT i32) (param $pL i32) (param $stride i32)
    (param $w i32) (param $bias i32) (param $out i32) (param $oH i32) (param $oW i32) (param $scratch i32)
    (param $lo f32) (param $hi f32)
    (local $Hp i32) (local $Wp i32) (local $rowBytes i32) (local $c i32) (local $h i32) (local $copyH i32)
    (local $copyW i32) (local $oh i32) (local $ow i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $dst i32)
    (local $p i32) (local $rem i32) (local $wc i32) (local $src i32)
    (local $w00 v128) (local $w01 v128) (local $w02 v128) (local $w10 v128) (local $w11 v128) (local $w12 v128)
    (local $w20 v128) (local $w21 v128) (local $w22 v128) (local $b v128) (local $acc v128)
    (local $a v128) (local $a2 v128) (local $e v128) (local $e2 v128) (local $vlo v128) (local $vhi v128)
    (local.set $vlo (f32x4.splat (local.get $lo)))
    (local.set $vhi (f32x4.splat (local.get $hi)))
    (local.set $Hp (i32.add (i32.mul (i32.sub (local.get $oH) (i32.const 1)) (local.get $stride)) (i32.const 3)))
    (local.set $Wp (i32.add (i32.mul (i32.sub (local.get $oW) (i32.const 1)) (local.get $stride)) (i32.const 3)))
    (local.set $rowBytes (i32.shl (local.get $Wp) (i32.const 2)))
    ;; rows and columns of the image that land inside the padded plane
    (local.set $copyH (i32.sub (local.get $Hp) (local.get $pT)))
    (if (i32.gt_s (local.get $copyH) (local.get $H)) (then (local.set $copyH (local.get $H))))
    (local.set $copyW (i32.sub (local.get $Wp) (local.get $pL)))
    (if (i32.gt_s (local.get $copyW) (local.get $W)) (then (local.set $copyW (local.get $W))))
    ;; zero once: every channel overwrites the same interior, so the border stays zero
    (memory.fill (local.get $scratch) (i32.const 0)
      (i32.shl (i32.add (i32.mul (local.get $Hp) (local.get $Wp)) (i32.const 8)) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $channels_done
      (loop $channel
        (br_if $channels_done (i32.ge_u (local.get $c) (local.get $C)))
        ;; copy the plane's rows into the scratch plane
        (local.set $src (i32.add (local.get $x)
          (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $H) (local.get $W))) (i32.const 2))))
        (local.set $h (i32.const 0))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_s (local.get $h) (local.get $copyH)))
            (memory.copy
              (i32.add (local.get $scratch)
                (i32.shl (i32.add (i32.mul (i32.add (local.get $h) (local.get $pT)) (local.get $Wp)) (local.get $pL))
                  (i32.const 2)))
              (i32.add (local.get $src) (i32.shl (i32.mul (local.get $h) (local.get $W)) (i32.const 2)))
              (i32.shl (local.get $copyW) (i32.const 2)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $row)))
        (local.set $wc (i32.add (local.get $w) (i32.mul (local.get $c) (i32.const 36))))
        (local.set $w00 (v128.load32_splat offset=0 (local.get $wc)))
        (local.set $w01 (v128.load32_splat offset=4 (local.get $wc)))
        (local.set $w02 (v128.load32_splat offset=8 (local.get $wc)))
        (local.set $w10 (v128.load32_splat offset=12 (local.get $wc)))
        (local.set $w11 (v128.load32_splat offset=16 (local.get $wc)))
        (local.set $w12 (v128.load32_splat offset=20 (local.get $wc)))
        (local.set $w20 (v128.load32_splat offset=24 (local.get $wc)))
        (local.set $w21 (v128.load32_splat offset=28 (local.get $wc)))
        (local.set $w22 (v128.load32_splat offset=32 (local.get $wc)))
        (local.set $b
          (if (result v128) (local.get $bias)
            (then (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
            (else (v128.const f32x4 0 0 0 0))))
        (local.set $dst (i32.add (local.get $out)
          (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $oH) (local.get $oW))) (i32.const 2))))
        (local.set $oh (i32.const 0))
        (block $out_rows_done
          (loop $out_row
            (br_if $out_rows_done (i32.ge_u (local.get $oh) (local.get $oH)))
            (local.set $r0 (i32.add (local.get $scratch)
              (i32.mul (i32.mul (local.get $oh) (local.get $stride)) (local.get $rowBytes))))
            (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
            (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
            (local.set $ow (i32.const 0))
            (block $cols_done
              (loop $col
                (br_if $cols_done (i32.ge_u (local.get $ow) (local.get $oW)))
                (local.set $acc (local.get $b))
                (if (i32.eq (local.get $stride) (i32.const 1))
                  (then
                    ;; inputs ow..ow+3 (+1, +2) of each row
                    (local.set $p (i32.shl (local.get $ow) (i32.const 2)))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w00)
                      (v128.load offset=0 (i32.add (local.get $r0) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w01)
                      (v128.load offset=4 (i32.add (local.get $r0) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w02)
                      (v128.load offset=8 (i32.add (local.get $r0) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w10)
                      (v128.load offset=0 (i32.add (local.get $r1) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w11)
                      (v128.load offset=4 (i32.add (local.get $r1) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w12)
                      (v128.load offset=8 (i32.add (local.get $r1) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w20)
                      (v128.load offset=0 (i32.add (local.get $r2) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w21)
                      (v128.load offset=4 (i32.add (local.get $r2) (local.get $p))))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w22)
                      (v128.load offset=8 (i32.add (local.get $r2) (local.get $p)))))))
                  (else
                    ;; stride 2: inputs 2ow, 2ow+2, 2ow+4, 2ow+6 (+1, +2): even / odd lanes of eight loaded floats
                    (local.set $p (i32.shl (local.get $ow) (i32.const 3)))
                    (local.set $a (v128.load offset=0 (i32.add (local.get $r0) (local.get $p))))
                    (local.set $e (v128.load offset=16 (i32.add (local.get $r0) (local.get $p))))
                    (local.set $a2 (v128.load offset=8 (i32.add (local.get $r0) (local.get $p))))
                    (local.set $e2 (v128.load offset=24 (i32.add (local.get $r0) (local.get $p))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w00)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w01)
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w02)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a2) (local.get $e2)))))
                    (local.set $a (v128.load offset=0 (i32.add (local.get $r1) (local.get $p))))
                    (local.set $e (v128.load offset=16 (i32.add (local.get $r1) (local.get $p))))
                    (local.set $a2 (v128.load offset=8 (i32.add (local.get $r1) (local.get $p))))
                    (local.set $e2 (v128.load offset=24 (i32.add (local.get $r1) (local.get $p))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w10)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w11)
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w12)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a2) (local.get $e2)))))
                    (local.set $a (v128.load offset=0 (i32.add (local.get $r2) (local.get $p))))
                    (local.set $e (v128.load offset=16 (i32.add (local.get $r2) (local.get $p))))
                    (local.set $a2 (v128.load offset=8 (i32.add (local.get $r2) (local.get $p))))
                    (local.set $e2 (v128.load offset=24 (i32.add (local.get $r2) (local.get $p))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w20)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w21)
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $e)))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w22)
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a2) (local.get $e2)))))))
                ;; the fused activation: acc < lo ? lo : acc, then hi < acc ? hi : acc (NaN and −0 kept)
                (local.set $acc (f32x4.pmin (f32x4.pmax (local.get $acc) (local.get $vlo)) (local.get $vhi)))
                (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $ow) (i32.const 2))))
                (local.set $rem (i32.sub (local.get $oW) (local.get $ow)))
                (if (i32.ge_u (local.get $rem) (i32.const 4))
                  (then (v128.store (local.get $p) (local.get $acc)))
                  (else
                    (v128.store32_lane 0 (local.get $p) (local.get $acc))
                    (if (i32.ge_u (local.get $rem) (i32.const 2))
                      (then (v128.store32_lane offset=4 1 (local.get $p) (local.get $acc))))
                    (if (i32.ge_u (local.get $rem) (i32.const 3))
                      (then (v128.store32_lane offset=8 2 (local.get $p) (local.get $acc))))))
                (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
                (br $col)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $oW) (i32.const 2))))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $out_row)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channel))))

  ;; The epilogue of a pointwise (1×1) convolution computed as a GEMM into c [rows, cols]: every row r gets
  ;; bias[r] added (bias 0: none), then every value is clamped to [lo, hi] (the fused activation), in place.
  (func (export "bias_clamp_rows")
    (param $c i32) (param $rows i32) (param $cols i32) (param $bias i32) (param $lo f32) (param $hi f32)
    (local $r i32) (local $p i32) (local $end i32) (local $vend i32) (local $b v128) (local $bs f32)
    (local $vlo v128) (local $vhi v128)
    (local.set $vlo (f32x4.splat (local.get $lo)))
    (local.set $vhi (f32x4.splat (local.get $hi)))
    (local.set $p (local.get $c))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $bs
          (if (result f32) (local.get $bias)
            (then (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2)))))
            (else (f32.const 0))))
        (local.set $b (f32x4.splat (local.get $bs)))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $vend (i32.sub (local.get $end) (i32.const 12)))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_s (local.get $p) (local.get $vend)))
            (v128.store (local.get $p) (f32x4.pmin (f32x4.pmax
              (f32x4.add (v128.load (local.get $p)) (local.get $b)) (local.get $vlo)) (local.get $vhi)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
            (f32.store (local.get $p) (call $clamp1 (f32.add (f32.load (local.get $p)) (local.get $bs))
              (local.get $lo) (local.get $hi)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out[i] = a[i] + b[i] for i < n (a residual connection), four at a time then the tail; out may be a or b.
  (func (export "add_f32") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32) (local $vend i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vend (i32.and (local.get $end) (i32.const -16)))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $i) (local.get $vend)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $a) (local.get $i)))
                     (v128.load (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.add (f32.load (i32.add (local.get $a) (local.get $i)))
                   (f32.load (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))

  ;; The epilogue of a convolution computed transposed, as src [rows, cols] = colᵀ · weightᵀ (rows = pixels,
  ;; cols = output channels): dst [cols, rows] = srcᵀ, + bias[col] (0 without bias, as bias_clamp_rows adds),
  ;; clamped to [lo, hi] — the values bias_clamp_rows gives in place on the untransposed product. 4×4 blocks are
  ;; transposed in registers (four loads, eight shuffles, four stores); ragged rows and columns one value at a time.
  (func (export "bias_clamp_transpose")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $bias i32) (param $lo f32) (param $hi f32)
    (local $c0 i32) (local $r0 i32) (local $c i32) (local $s i32) (local $d i32)
    (local $stride i32) (local $dstride i32) (local $rows4 i32) (local $cols4 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $vlo v128) (local $vhi v128)
    (local.set $vlo (f32x4.splat (local.get $lo)))
    (local.set $vhi (f32x4.splat (local.get $hi)))
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $dstride (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $blocks_done
      (loop $block_col
        (br_if $blocks_done (i32.ge_u (local.get $c0) (local.get $cols4)))
        (local.set $r0 (i32.const 0))
        (block $rows_done
          (loop $block_row
            (br_if $rows_done (i32.ge_u (local.get $r0) (local.get $rows4)))
            (local.set $s (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $cols)) (local.get $c0)) (i32.const 2))))
            (local.set $v0 (v128.load (local.get $s)))
            (local.set $v1 (v128.load (i32.add (local.get $s) (local.get $stride))))
            (local.set $v2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $stride) (i32.const 1)))))
            (local.set $v3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $stride) (i32.const 3)))))
            ;; t0 = v0.0 v1.0 v0.1 v1.1, t1 = v2.0 v3.0 v2.1 v3.1, t2 = v0.2 v1.2 v0.3 v1.3, t3 = v2.2 v3.2 v2.3 v3.3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
            (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
            (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
            ;; column c0 + j over rows r0..r0+3: v0 = t0.0 t0.1 t1.0 t1.1, v1 = t0.2 t0.3 t1.2 t1.3, v2, v3 from t2, t3
            (local.set $v0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
            (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
            (local.set $v2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
            (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3)))
            (local.set $d (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (local.get $c0) (local.get $rows)) (local.get $r0)) (i32.const 2))))
            (v128.store (local.get $d) (call $bias_clamp4 (local.get $v0) (local.get $bias) (local.get $c0)
              (local.get $vlo) (local.get $vhi)))
            (local.set $d (i32.add (local.get $d) (local.get $dstride)))
            (v128.store (local.get $d) (call $bias_clamp4 (local.get $v1) (local.get $bias)
              (i32.add (local.get $c0) (i32.const 1)) (local.get $vlo) (local.get $vhi)))
            (local.set $d (i32.add (local.get $d) (local.get $dstride)))
            (v128.store (local.get $d) (call $bias_clamp4 (local.get $v2) (local.get $bias)
              (i32.add (local.get $c0) (i32.const 2)) (local.get $vlo) (local.get $vhi)))
            (local.set $d (i32.add (local.get $d) (local.get $dstride)))
            (v128.store (local.get $d) (call $bias_clamp4 (local.get $v3) (local.get $bias)
              (i32.add (local.get $c0) (i32.const 3)) (local.get $vlo) (local.get $vhi)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 4)))
            (br $block_row)))
        ;; the ragged rows of these four columns
        (local.set $c (local.get $c0))
        (block $rc_done
          (loop $rc
            (br_if $rc_done (i32.ge_u (local.get $c) (i32.add (local.get $c0) (i32.const 4))))
            (call $transpose_one (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
              (local.get $bias) (local.get $lo) (local.get $hi) (local.get $c) (local.get $rows4))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $rc)))
        (local.set $c0 (i32.add (local.get $c0) (i32.const 4)))
        (br $block_col)))
    ;; the ragged columns, every row
    (local.set $c (local.get $cols4))
    (block $cc_done
      (loop $cc
        (br_if $cc_done (i32.ge_u (local.get $c) (local.get $cols)))
        (call $transpose_one (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
          (local.get $bias) (local.get $lo) (local.get $hi) (local.get $c) (i32.const 0))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cc))))

  ;; clamp(v + splat(bias[c]) (0 without bias), lo, hi) as bias_clamp_rows computes it
  (func $bias_clamp4 (param $v v128) (param $bias i32) (param $c i32) (param $vlo v128) (param $vhi v128) (result v128)
    (local $b v128)
    (if (local.get $bias)
      (then (local.set $b (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))))
    (f32x4.pmin (f32x4.pmax (f32x4.add (local.get $v) (local.get $b)) (local.get $vlo)) (local.get $vhi)))

  ;; dst[c, r] = clamp(src[r, c] + bias[c]) for the rows r0 ≤ r < rows of one column c
  (func $transpose_one (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $bias i32)
    (param $lo f32) (param $hi f32) (param $c i32) (param $r0 i32)
    (local $r i32) (local $b f32)
    (if (local.get $bias)
      (then (local.set $b (f32.load (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))))
    (local.set $r (local.get $r0))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (f32.store
          (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (call $clamp1
            (f32.add (f32.load (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
              (local.get $b))
            (local.get $lo) (local.get $hi)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; im2col of one image x [C, H, W] into col [C·kH·kW, oH·oW] (ops/conv.ts's im2col, same layout): row (c, ki, kj)
  ;; holds the input pixel each output position sees through that tap, zero where it falls in the padding (pT rows
  ;; above, pL columns left; below and right whatever the output size needs).
  (func (export "im2col")
    (param $x i32) (param $C i32) (param $H i32) (param $W i32) (param $kH i32) (param $kW i32)
    (param $sH i32) (param $sW i32) (param $pT i32) (param $pL i32) (param $dH i32) (param $dW i32)
    (param $oH i32) (param $oW i32) (param $col i32)
    (local $c i32) (local $ki i32) (local $kj i32) (local $oh i32) (local $off i32) (local $owLo i32)
    (local $owHi i32) (local $ih i32) (local $dst i32) (local $src i32) (local $plane i32) (local $p i32)
    (local $end i32) (local $rowBytes i32) (local $step i32)
    (local.set $rowBytes (i32.shl (local.get $oW) (i32.const 2)))
    (local.set $step (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $dst (local.get $col))
    (block $c_done
      (loop $c_loop
        (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $plane (i32.add (local.get $x)
          (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $H) (local.get $W))) (i32.const 2))))
        (local.set $ki (i32.const 0))
        (block $ki_done
          (loop $ki_loop
            (br_if $ki_done (i32.ge_u (local.get $ki) (local.get $kH)))
            (local.set $kj (i32.const 0))
            (block $kj_done
              (loop $kj_loop
                (br_if $kj_done (i32.ge_u (local.get $kj) (local.get $kW)))
                ;; output columns whose input column ow·sW + off lies inside [0, W)
                (local.set $off (i32.sub (i32.mul (local.get $kj) (local.get $dW)) (local.get $pL)))
                (local.set $owLo (i32.const 0))
                (if (i32.lt_s (local.get $off) (i32.const 0))
                  (then (local.set $owLo (i32.div_u
                    (i32.add (i32.sub (i32.const 0) (local.get $off)) (i32.sub (local.get $sW) (i32.const 1)))
                    (local.get $sW)))))
                (if (i32.gt_s (local.get $owLo) (local.get $oW)) (then (local.set $owLo (local.get $oW))))
                (local.set $owHi (local.get $owLo))
                (if (i32.ge_s (i32.sub (i32.sub (local.get $W) (i32.const 1)) (local.get $off)) (i32.const 0))
                  (then
                    (local.set $owHi (i32.add (i32.div_u
                      (i32.sub (i32.sub (local.get $W) (i32.const 1)) (local.get $off)) (local.get $sW)) (i32.const 1)))
                    (if (i32.gt_s (local.get $owHi) (local.get $oW)) (then (local.set $owHi (local.get $oW))))
                    (if (i32.lt_s (local.get $owHi) (local.get $owLo)) (then (local.set $owHi (local.get $owLo))))))
                (local.set $oh (i32.const 0))
                (block $oh_done
                  (loop $oh_loop
                    (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $oH)))
                    (local.set $ih (i32.add (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pT))
                      (i32.mul (local.get $ki) (local.get $dH))))
                    (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0)) (i32.ge_s (local.get $ih) (local.get $H)))
                      (then (memory.fill (local.get $dst) (i32.const 0) (local.get $rowBytes)))
                      (else
                        (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $owLo) (i32.const 2)))
                        ;; src walks x[ih, owLo·sW + off ...] by sW, dst walks col[row, owLo ...] by one
                        (local.set $src (i32.add (local.get $plane) (i32.shl
                          (i32.add (i32.mul (local.get $ih) (local.get $W))
                            (i32.add (i32.mul (local.get $owLo) (local.get $sW)) (local.get $off))) (i32.const 2))))
                        (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $owLo) (i32.const 2))))
                        (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $owHi) (i32.const 2))))
                        (block $copy_done
                          (loop $copy
                            (br_if $copy_done (i32.ge_u (local.get $p) (local.get $end)))
                            (f32.store (local.get $p) (f32.load (local.get $src)))
                            (local.set $src (i32.add (local.get $src) (local.get $step)))
                            (local.set $p (i32.add (local.get $p) (i32.const 4)))
                            (br $copy)))
                        (memory.fill (local.get $end) (i32.const 0)
                          (i32.shl (i32.sub (local.get $oW) (local.get $owHi)) (i32.const 2)))))
                    (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
                    (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
                    (br $oh_loop)))
                (local.set $kj (i32.add (local.get $kj) (i32.const 1)))
                (br $kj_loop)))
            (local.set $ki (i32.add (local.get $ki) (i32.const 1)))
            (br $ki_loop)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $c_loop))))

  ;; v < lo ? lo : v > hi ? hi : v (the scalar twin of pmax then pmin)
  (func $clamp1 (param $v f32) (param $lo f32) (param $hi f32) (result f32)
    (if (result f32) (f32.lt (local.get $v) (local.get $lo))
      (then (local.get $lo))
      (else (if (result f32) (f32.gt (local.get $v) (local.get $hi))
        (then (local.get $hi))
        (else (local.get $v)))))))
