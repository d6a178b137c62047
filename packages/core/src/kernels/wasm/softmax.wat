;; Row-wise softmax statistics and the softmax cross-entropy gradient for @recurrent/core, WebAssembly SIMD128, on
;; the gemm module's memory (imported): the large-vocabulary cross-entropy (losses/cross-entropy.ts), where one
;; Math.exp per logit was the cost. Rows are float32 [rows, C], any C ≥ 1; a row's last C mod 4 classes are read as
;; one vector whose extra lanes are masked, so every buffer read here needs 3 floats of slack after its last row.
;; All pointers are byte offsets into the imported memory.
;;
;; exp(x) for x ≤ 0 is Cephes' expf as in lstm_gates.wat (≤ 1 ulp): 0 below x = −86 (so −∞ gives 0), n = round(x·log₂e)
;; by the 1.5·2²³ trick, r = x − n·C1 − n·C2, 1 + r + r²·P(r) with P of degree 5, scaled by 2ⁿ built in the exponent.
(module
  (import "env" "memory" (memory 1))

  ;; exp(x) of four lanes, each ≤ 0, −∞ or NaN (a NaN lane gives NaN), is written out inline below (this V8 does not
  ;; inline wasm calls, and a call spills the loop's vector accumulators): locals $x in, $e out, $t $n $r $p $tiny.

  ;; For each row of z [rows, C]: stats[row] = (max, Σ_c exp(z_c − max), Σ_c z_c) as three float64 (24 bytes a row).
  ;; The max is a float32 maximum (NaN if the row holds one); the exponentials are float32, their sum and the sum of
  ;; the logits float64 (two f64x2 accumulators each). A row whose max is not finite gives meaningless sums: the
  ;; caller recomputes it.
  (func (export "softmax_row_stats") (param $z i32) (param $rows i32) (param $C i32) (param $stats i32)
    (local $rowBytes i32) (local $rowEnd i32) (local $at i32) (local $mask v128) (local $raw v128) (local $v v128)
    (local $vmax v128) (local $m v128) (local $max f32) (local $e v128) (local $s0 v128) (local $s1 v128)
    (local $z0 v128) (local $z1 v128)
    (local $x v128) (local $t v128) (local $n v128) (local $r v128) (local $p v128) (local $tiny v128)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    ;; the lanes of a row's last, partial vector that belong to the row
    (local.set $mask (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.and (local.get $C) (i32.const 3)))))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.eqz (local.get $rows)))
        (local.set $rowEnd (i32.add (local.get $z) (local.get $rowBytes)))
        ;; max
        (local.set $vmax (f32x4.splat (f32.const -inf)))
        (local.set $at (local.get $z))
        (block $max_done
          (loop $max_next
            (br_if $max_done (i32.ge_u (local.get $at) (local.get $rowEnd)))
            (local.set $v (v128.load (local.get $at)))
            (if (i32.lt_u (i32.sub (local.get $rowEnd) (local.get $at)) (i32.const 16))
              (then (local.set $v (v128.bitselect (local.get $v) (f32x4.splat (f32.const -inf)) (local.get $mask)))))
            (local.set $vmax (f32x4.max (local.get $vmax) (local.get $v)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $max_next)))
        (local.set $max (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
          (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax)))))
        ;; Σ exp(z − max) and Σ z
        (local.set $m (f32x4.splat (local.get $max)))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $z0 (v128.const f64x2 0 0))
        (local.set $z1 (v128.const f64x2 0 0))
        (local.set $at (local.get $z))
        (block $sum_done
          (loop $sum_next
            (br_if $sum_done (i32.ge_u (local.get $at) (local.get $rowEnd)))
            (local.set $raw (v128.load (local.get $at)))
            (local.set $v (local.get $raw))
            (if (i32.lt_u (i32.sub (local.get $rowEnd) (local.get $at)) (i32.const 16))
              (then
                (local.set $v (v128.bitselect (local.get $raw) (f32x4.splat (f32.const -inf)) (local.get $mask)))
                (local.set $raw (v128.and (local.get $raw) (local.get $mask)))))
            (local.set $x (f32x4.sub (local.get $v) (local.get $m)))
            (local.set $tiny (f32x4.lt (local.get $x) (f32x4.splat (f32.const -86))))
            (local.set $x (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -86))))
            (local.set $t (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
                                     (f32x4.splat (f32.const 12582912))))
            (local.set $n (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
            (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
            (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
            (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
            (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (f32x4.splat (f32.const 1))))
            ;; 2ⁿ: bits(t) = 0x4B400000 + n, so subtract 0x4B400000 − 127 and shift into the exponent
            (local.set $e (v128.andnot (f32x4.mul (local.get $p)
                  (i32x4.shl (i32x4.sub (local.get $t) (i32x4.splat (i32.const 0x4B3FFF81))) (i32.const 23))) (local.get $tiny)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $e))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e) (local.get $e)))))
            (local.set $z0 (f64x2.add (local.get $z0) (f64x2.promote_low_f32x4 (local.get $raw))))
            (local.set $z1 (f64x2.add (local.get $z1) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $raw) (local.get $raw)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $sum_next)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
        (local.set $z0 (f64x2.add (local.get $z0) (local.get $z1)))
        (f64.store (local.get $stats) (f64.promote_f32 (local.get $max)))
        (f64.store offset=8 (local.get $stats)
          (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        (f64.store offset=16 (local.get $stats)
          (f64.add (f64x2.extract_lane 0 (local.get $z0)) (f64x2.extract_lane 1 (local.get $z0))))
        (local.set $z (local.get $rowEnd))
        (local.set $stats (i32.add (local.get $stats) (i32.const 24)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; The softmax cross-entropy gradient of each row of z [rows, C], written to out (which may be z):
  ;; out_c = k·exp(z_c − shift) − s with (shift, k, s) = coefs[row] (three float32, 12 bytes a row), i.e.
  ;; A·softmax(z)_c − (ε/C) for k = A / Σ exp(z − shift); the target's own −(1−ε) term is the caller's. A row with
  ;; k = s = 0 (an ignored target) is written as zeros whatever z holds. The last partial vector is stored lane by
  ;; lane, so nothing past a row is written.
  (func (export "softmax_grad_rows") (param $z i32) (param $rows i32) (param $C i32) (param $coefs i32) (param $out i32)
    (local $rowBytes i32) (local $rowEnd i32) (local $left i32) (local $shift v128) (local $k v128) (local $s v128)
    (local $r v128) (local $x v128) (local $e v128) (local $t v128) (local $n v128) (local $p v128) (local $tiny v128)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.eqz (local.get $rows)))
        (local.set $rowEnd (i32.add (local.get $z) (local.get $rowBytes)))
        (local.set $k (f32x4.splat (f32.load offset=4 (local.get $coefs))))
        (local.set $s (f32x4.splat (f32.load offset=8 (local.get $coefs))))
        (if (i32.and (f32.eq (f32.load offset=4 (local.get $coefs)) (f32.const 0))
                     (f32.eq (f32.load offset=8 (local.get $coefs)) (f32.const 0)))
          (then
            (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
            (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
            (local.set $z (local.get $rowEnd)))
          (else
            (local.set $shift (f32x4.splat (f32.load (local.get $coefs))))
            (block $done
              (loop $next
                (local.set $left (i32.sub (local.get $rowEnd) (local.get $z)))
                (br_if $done (i32.le_s (local.get $left) (i32.const 0)))
                (local.set $x (f32x4.sub (v128.load (local.get $z)) (local.get $shift)))
                (local.set $tiny (f32x4.lt (local.get $x) (f32x4.splat (f32.const -86))))
                (local.set $x (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -86))))
                (local.set $t (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
                                     (f32x4.splat (f32.const 12582912))))
                (local.set $n (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
                (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
                (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
                (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
                (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
                (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (f32x4.splat (f32.const 1))))
                ;; 2ⁿ: bits(t) = 0x4B400000 + n, so subtract 0x4B400000 − 127 and shift into the exponent
                (local.set $e (v128.andnot (f32x4.mul (local.get $p)
                  (i32x4.shl (i32x4.sub (local.get $t) (i32x4.splat (i32.const 0x4B3FFF81))) (i32.const 23))) (local.get $tiny)))
                (local.set $r (f32x4.sub (f32x4.mul (local.get $k) (local.get $e)) (local.get $s)))
                (if (i32.ge_u (local.get $left) (i32.const 16))
                  (then (v128.store (local.get $out) (local.get $r)))
                  (else
                    (if (i32.ge_u (local.get $left) (i32.const 8))
                      (then
                        (v128.store64_lane 0 (local.get $out) (local.get $r))
                        (if (i32.eq (local.get $left) (i32.const 12))
                          (then (v128.store32_lane offset=8 2 (local.get $out) (local.get $r)))))
                      (else (v128.store32_lane 0 (local.get $out) (local.get $r))))))
                (local.set $z (i32.add (local.get $z) (i32.const 16)))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (br $next)))
            ;; the loop overshot the row by the partial vector's missing lanes
            (local.set $out (i32.sub (local.get $out) (i32.sub (local.get $z) (local.get $rowEnd))))
            (local.set $z (local.get $rowEnd))))
        (local.set $coefs (i32.add (local.get $coefs) (i32.const 12)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))
)
