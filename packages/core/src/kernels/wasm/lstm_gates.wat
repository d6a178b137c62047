;; Fused LSTM gate math for @recurrent/core, WebAssembly SIMD128, sharing the gemm module's memory (imported).
;;
;; The arithmetic mirrors the TypeScript kernel (kernels/recurrent/lstm.ts) operation for operation in float64 and
;; rounds to float32 at the same points, so results agree with it to the last bit except in the rare case where the
;; exp below and the engine's Math.exp round differently (both are within about one double ulp).
;; Two elements per iteration: f32 pairs are promoted to f64x2, computed, demoted and stored.
;; All pointers are byte offsets into the imported memory; float32 buffers unless named *64.
(module
  (import "env" "memory" (memory 1))

  ;; exp(x) for f64x2, written out inline in each loop below (this V8 does not inline wasm calls):
  ;; n = round(x/ln2), r = x − n·ln2 (Cody–Waite, |r| ≤ ln2/2), Taylor polynomial of degree 13 (truncation below
  ;; 1e-17 relative, evaluated by Estrin's scheme), scaled by 2ⁿ built in the exponent bits. x is clamped to [−708, 709], so the result is finite
  ;; and normal; callers only need exp of large |x| to be huge or tiny there, not exact. pmin/pmax (one instruction
  ;; each, unlike min/max) with x first keep a NaN x as NaN.

  ;; out32[k] = σ(a[k] + b[k]) as float32 and out64[k] the unrounded float64 value, k < n (n even; b = 0: no b).
  ;; σ as the TS kernel computes it: 1/(1+e^−x) for x ≥ 0, e^x/(1+e^x) otherwise, with e = exp(−|x|).
  (func $sigmoid_rows (param $a i32) (param $b i32) (param $n i32) (param $out32 i32) (param $out64 i32)
    (local $end i32) (local $v v128) (local $x v128) (local $t v128) (local $n2 v128) (local $r v128) (local $p v128)
    (local $e v128) (local $d v128)
    (local $r2 v128) (local $r4 v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $a))))
        (if (local.get $b) (then
          (local.set $v (f64x2.add (local.get $v) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $b)))))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))))
    (local.set $x (f64x2.neg (f64x2.abs (local.get $v))))
    (local.set $x (f64x2.pmax (f64x2.pmin (local.get $x) (f64x2.splat (f64.const 709))) (f64x2.splat (f64.const -708))))
    ;; t = x·log2(e) + 1.5·2^52: the integer n sits in t's low mantissa bits
    (local.set $t (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))
                             (f64x2.splat (f64.const 6755399441055744))))
    (local.set $n2 (f64x2.sub (local.get $t) (f64x2.splat (f64.const 6755399441055744))))
    (local.set $r (f64x2.sub (f64x2.sub (local.get $x) (f64x2.mul (local.get $n2) (f64x2.splat (f64.const 0.693147180369123816490))))
                             (f64x2.mul (local.get $n2) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
    ;; Σ r^k/k!, k ≤ 13, by Estrin's scheme (a Horner chain here is latency-bound: 26 dependent operations)
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $a0 (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1)))))
    (local.set $a1 (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0.16666666666666666)))))
    (local.set $a2 (f64x2.add (f64x2.splat (f64.const 4.1666666666666664e-2)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 8.3333333333333332e-3)))))
    (local.set $a3 (f64x2.add (f64x2.splat (f64.const 1.3888888888888889e-3)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1.9841269841269841e-4)))))
    (local.set $a4 (f64x2.add (f64x2.splat (f64.const 2.4801587301587302e-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 2.7557319223985893e-6)))))
    (local.set $a5 (f64x2.add (f64x2.splat (f64.const 2.7557319223985888e-7)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 2.5052108385441720e-8)))))
    (local.set $a6 (f64x2.add (f64x2.splat (f64.const 2.0876756987868100e-9)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1.6059043836821613e-10)))))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $a1) (local.get $r2))))
    (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $a3) (local.get $r2))))
    (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $a5) (local.get $r2))))
    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $a2) (local.get $r4))))
    (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $a6) (local.get $r4))))
    (local.set $p (f64x2.add (local.get $a0) (f64x2.mul (local.get $a4) (f64x2.mul (local.get $r4) (local.get $r4)))))
    ;; 2ⁿ: bits(t) = bits(1.5·2^52) + n = 0x4338000000000000 + n, so add 1023 − 0x4338000000000000 and shift
    (local.set $e (f64x2.mul (local.get $p)
      (i64x2.shl (i64x2.add (local.get $t) (i64x2.splat (i64.const -4843621399236967425))) (i32.const 52))))
        (local.set $d (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e)))
        (local.set $v (f64x2.div
          (v128.bitselect (f64x2.splat (f64.const 1)) (local.get $e) (f64x2.ge (local.get $v) (f64x2.splat (f64.const 0))))
          (local.get $d)))
        (v128.store (local.get $out64) (local.get $v))
        (v128.store64_lane 0 (local.get $out32) (f32x4.demote_f64x2_zero (local.get $v)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $out32 (i32.add (local.get $out32) (i32.const 8)))
        (local.set $out64 (i32.add (local.get $out64) (i32.const 16)))
        (br $next))))

  ;; Same contract with tanh: sign(x)·(1 − e)/(1 + e), e = exp(−2|x|); an odd Taylor polynomial below |x| = 2⁻⁷
  ;; avoids the cancellation in 1 − e (its truncation error there is below 1e-19 relative).
  (func $tanh_rows (param $a i32) (param $b i32) (param $n i32) (param $out32 i32) (param $out64 i32)
    (local $end i32) (local $v v128) (local $x v128) (local $t v128) (local $n2 v128) (local $r v128) (local $p v128)
    (local $e v128) (local $abs v128) (local $big v128) (local $x2 v128) (local $small v128)
    (local $r2 v128) (local $r4 v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $a))))
        (if (local.get $b) (then
          (local.set $v (f64x2.add (local.get $v) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $b)))))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))))
        (local.set $abs (f64x2.abs (local.get $v)))
    (local.set $x (f64x2.mul (local.get $abs) (f64x2.splat (f64.const -2))))
    (local.set $x (f64x2.pmax (f64x2.pmin (local.get $x) (f64x2.splat (f64.const 709))) (f64x2.splat (f64.const -708))))
    ;; t = x·log2(e) + 1.5·2^52: the integer n sits in t's low mantissa bits
    (local.set $t (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))
                             (f64x2.splat (f64.const 6755399441055744))))
    (local.set $n2 (f64x2.sub (local.get $t) (f64x2.splat (f64.const 6755399441055744))))
    (local.set $r (f64x2.sub (f64x2.sub (local.get $x) (f64x2.mul (local.get $n2) (f64x2.splat (f64.const 0.693147180369123816490))))
                             (f64x2.mul (local.get $n2) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
    ;; Σ r^k/k!, k ≤ 13, by Estrin's scheme (a Horner chain here is latency-bound: 26 dependent operations)
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $a0 (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1)))))
    (local.set $a1 (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0.16666666666666666)))))
    (local.set $a2 (f64x2.add (f64x2.splat (f64.const 4.1666666666666664e-2)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 8.3333333333333332e-3)))))
    (local.set $a3 (f64x2.add (f64x2.splat (f64.const 1.3888888888888889e-3)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1.9841269841269841e-4)))))
    (local.set $a4 (f64x2.add (f64x2.splat (f64.const 2.4801587301587302e-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 2.7557319223985893e-6)))))
    (local.set $a5 (f64x2.add (f64x2.splat (f64.const 2.7557319223985888e-7)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 2.5052108385441720e-8)))))
    (local.set $a6 (f64x2.add (f64x2.splat (f64.const 2.0876756987868100e-9)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1.6059043836821613e-10)))))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $a1) (local.get $r2))))
    (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $a3) (local.get $r2))))
    (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $a5) (local.get $r2))))
    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $a2) (local.get $r4))))
    (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $a6) (local.get $r4))))
    (local.set $p (f64x2.add (local.get $a0) (f64x2.mul (local.get $a4) (f64x2.mul (local.get $r4) (local.get $r4)))))
    ;; 2ⁿ: bits(t) = bits(1.5·2^52) + n = 0x4338000000000000 + n, so add 1023 − 0x4338000000000000 and shift
    (local.set $e (f64x2.mul (local.get $p)
      (i64x2.shl (i64x2.add (local.get $t) (i64x2.splat (i64.const -4843621399236967425))) (i32.const 52))))
        (local.set $big (f64x2.div (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $e))
                                   (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e))))
        (local.set $x2 (f64x2.mul (local.get $abs) (local.get $abs)))
        ;; a·(1 − a²/3 + 2a⁴/15 − 17a⁶/315 + 62a⁸/2835)
        (local.set $small (f64x2.splat (f64.const 0.021869488536155203)))
        (local.set $small (f64x2.sub (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.05396825396825397))))
        (local.set $small (f64x2.add (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.13333333333333333))))
        (local.set $small (f64x2.sub (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 0.3333333333333333))))
        (local.set $small (f64x2.mul (local.get $abs) (f64x2.add (f64x2.mul (local.get $small) (local.get $x2)) (f64x2.splat (f64.const 1)))))
        (local.set $big (v128.bitselect (local.get $small) (local.get $big) (f64x2.lt (local.get $abs) (f64x2.splat (f64.const 0x1p-7)))))
        ;; copy the sign of x (tanh is odd; keeps −0 as −0)
        (local.set $v (v128.or (local.get $big) (v128.and (local.get $v) (i64x2.splat (i64.const 0x8000000000000000)))))
        (v128.store (local.get $out64) (local.get $v))
        (v128.store64_lane 0 (local.get $out32) (f32x4.demote_f64x2_zero (local.get $v)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $out32 (i32.add (local.get $out32) (i32.const 8)))
        (local.set $out64 (i32.add (local.get $out64) (i32.const 16)))
        (br $next))))

  ;; One LSTM time step for `rows` sequences, H even (G = 4H):
  ;;   gates [rows, G]: on entry x·W_ihᵀ + biases; on exit the activations i, f, g, o
  ;;   rec   [rows, G]: h_{t−1}·W_hhᵀ
  ;;   cIn, cOut, hOut, out [rows, H]; tanhC [rows, H] or 0 (not kept)
  ;;   work: 5H float64 of scratch (the unrounded activations, as the TS kernel keeps them in registers)
  ;;   c' = f⊙c + i⊙g (rounded to float32, then re-read), h' = o⊙tanh(c'), h' written to hOut and out.
  (func (export "lstm_forward_step")
    (param $gates i32) (param $rec i32) (param $cIn i32) (param $cOut i32) (param $hOut i32)
    (param $tanhC i32) (param $out i32) (param $rows i32) (param $H i32) (param $work i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $w i32) (local $c v128) (local $rowEnd i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; i, f | g | o  → float32 in place, float64 in work[0 : 4H]
        (call $sigmoid_rows (local.get $gates) (local.get $rec) (i32.shl (local.get $H) (i32.const 1)) (local.get $gates) (local.get $work))
        (call $tanh_rows (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))) (i32.add (local.get $rec) (i32.shl (local.get $hb) (i32.const 1)))
          (local.get $H) (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 1))) (i32.add (local.get $work) (i32.shl (local.get $hb) (i32.const 2))))
        (call $sigmoid_rows (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))) (i32.add (local.get $rec) (i32.mul (local.get $hb) (i32.const 3)))
          (local.get $H) (i32.add (local.get $gates) (i32.mul (local.get $hb) (i32.const 3))) (i32.add (local.get $work) (i32.mul (local.get $hb) (i32.const 6))))
        ;; c' = f⊙c + i⊙g, rounded to float32
        (local.set $j (i32.const 0))
        (local.set $w (local.get $work))
        (block $cDone
          (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $c (f64x2.add
              (f64x2.mul (v128.load (i32.add (local.get $w) (i32.shl (local.get $hb) (i32.const 1))))
                         (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $cIn) (local.get $j)))))
              (f64x2.mul (v128.load (local.get $w)) (v128.load (i32.add (local.get $w) (i32.shl (local.get $hb) (i32.const 2)))))))
            (v128.store64_lane 0 (i32.add (local.get $cOut) (local.get $j)) (f32x4.demote_f64x2_zero (local.get $c)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (local.set $w (i32.add (local.get $w) (i32.const 16)))
            (br $cLoop)))
        ;; tanh(c') → tanhC (or, when not kept, out as a scratch row that h' overwrites) and work[4H : 5H]
        (call $tanh_rows (local.get $cOut) (i32.const 0) (local.get $H) (select (local.get $tanhC) (local.get $out) (local.get $tanhC))
          (i32.add (local.get $work) (i32.shl (local.get $hb) (i32.const 3))))
        ;; h' = o⊙tanh(c')
        (local.set $j (i32.const 0))
        (local.set $w (local.get $work))
        (block $hDone
          (loop $hLoop
            (br_if $hDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $c (f32x4.demote_f64x2_zero (f64x2.mul
              (v128.load (i32.add (local.get $w) (i32.mul (local.get $hb) (i32.const 6))))
              (v128.load (i32.add (local.get $w) (i32.shl (local.get $hb) (i32.const 3)))))))
            (v128.store64_lane 0 (i32.add (local.get $hOut) (local.get $j)) (local.get $c))
            (v128.store64_lane 0 (i32.add (local.get $out) (local.get $j)) (local.get $c))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (local.set $w (i32.add (local.get $w) (i32.const 16)))
            (br $hLoop)))
        (local.set $gates (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $rec (i32.add (local.get $rec) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $cIn (i32.add (local.get $cIn) (local.get $hb)))
        (local.set $cOut (i32.add (local.get $cOut) (local.get $hb)))
        (local.set $hOut (i32.add (local.get $hOut) (local.get $hb)))
        (local.set $out (i32.add (local.get $out) (local.get $hb)))
        (if (local.get $tanhC) (then (local.set $tanhC (i32.add (local.get $tanhC) (local.get $hb)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; m[rows, cols] += bias[cols] (float32; cols a multiple of 4)
  (func (export "add_row_bias") (param $m i32) (param $rows i32) (param $cols i32) (param $bias i32)
    (local $end i32) (local $k i32) (local $rowEnd i32)
    (local.set $end (i32.add (local.get $m) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $m) (local.get $end)))
        (local.set $k (local.get $bias))
        (local.set $rowEnd (i32.add (local.get $m) (i32.shl (local.get $cols) (i32.const 2))))
        (loop $colLoop
          (v128.store (local.get $m) (f32x4.add (v128.load (local.get $m)) (v128.load (local.get $k))))
          (local.set $m (i32.add (local.get $m) (i32.const 16)))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $colLoop (i32.lt_u (local.get $m) (local.get $rowEnd))))
        (br $rowLoop))))

  ;; Backward of one LSTM time step for `rows` sequences (H even, G = 4H), float64 carries as in the TS kernel:
  ;;   gates [rows, G] activations i, f, g, o;  tanhC, cIn [rows, H];  dOut [rows, H] float32 ∂L/∂h_t from above
  ;;   dh64, dc64 [rows, H] float64: on entry the carried ∂L/∂h, ∂L/∂c; on exit dh = 0 and dc = dc·f
  ;;   dG [rows, G] float32 out: gradient of the gate pre-activations.
  (func (export "lstm_backward_step")
    (param $gates i32) (param $tanhC i32) (param $cIn i32) (param $dOut i32) (param $dh i32) (param $dc i32)
    (param $dG i32) (param $rows i32) (param $H i32)
    (local $hb i32) (local $j i32) (local $end i32) (local $g4 i32) (local $d4 i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128) (local $dhv v128) (local $dcv v128)
    (local $one v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $end (i32.add (local.get $tanhC) (i32.mul (local.get $rows) (local.get $hb))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $tanhC) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $g4 (i32.add (local.get $gates) (local.get $j)))
            (local.set $d4 (i32.add (local.get $dG) (local.get $j)))
            (local.set $i (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g4))))
            (local.set $f (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (local.get $hb)))))
            (local.set $g (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (i32.shl (local.get $hb) (i32.const 1))))))
            (local.set $o (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g4) (i32.mul (local.get $hb) (i32.const 3))))))
            (local.set $tc (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $tanhC) (local.get $j)))))
            (local.set $dhv (f64x2.add (v128.load (local.get $dh))
                                       (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dOut) (local.get $j))))))
            ;; dc + dh·o·(1 − tc²)
            (local.set $dcv (f64x2.add (v128.load (local.get $dc))
              (f64x2.mul (f64x2.mul (local.get $dhv) (local.get $o))
                         (f64x2.sub (local.get $one) (f64x2.mul (local.get $tc) (local.get $tc))))))
            ;; di = dc·g·i·(1 − i)
            (v128.store64_lane 0 (local.get $d4) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dcv) (local.get $g)) (local.get $i)) (f64x2.sub (local.get $one) (local.get $i)))))
            ;; df = dc·c_{t−1}·f·(1 − f)
            (v128.store64_lane 0 (i32.add (local.get $d4) (local.get $hb)) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dcv)
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $cIn) (local.get $j))))) (local.get $f))
                (f64x2.sub (local.get $one) (local.get $f)))))
            ;; dg = dc·i·(1 − g²)
            (v128.store64_lane 0 (i32.add (local.get $d4) (i32.shl (local.get $hb) (i32.const 1))) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (local.get $dcv) (local.get $i)) (f64x2.sub (local.get $one) (f64x2.mul (local.get $g) (local.get $g))))))
            ;; do = dh·tc·o·(1 − o)
            (v128.store64_lane 0 (i32.add (local.get $d4) (i32.mul (local.get $hb) (i32.const 3))) (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dhv) (local.get $tc)) (local.get $o)) (f64x2.sub (local.get $one) (local.get $o)))))
            (v128.store (local.get $dc) (f64x2.mul (local.get $dcv) (local.get $f)))
            (v128.store (local.get $dh) (v128.const i64x2 0 0))
            (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
            (local.set $dc (i32.add (local.get $dc) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $colLoop)))
        (local.set $gates (i32.add (local.get $gates) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $dG (i32.add (local.get $dG) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $tanhC (i32.add (local.get $tanhC) (local.get $hb)))
        (local.set $cIn (i32.add (local.get $cIn) (local.get $hb)))
        (local.set $dOut (i32.add (local.get $dOut) (local.get $hb)))
        (br $rowLoop))))

  ;; dst64[k] += src32[k], k < n (n even)
  (func (export "add_f32_to_f64") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $src)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (br $next))))

;; out64[c] += Σ_r m[r, c] (float32 m; rows in order, as the TS column sums; cols even). Row by row, so m streams
  ;; once and out64 stays in L1.
  (func (export "column_sums") (param $m i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $end i32) (local $rowEnd i32) (local $o i32)
    (local.set $end (i32.add (local.get $m) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $m) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $m) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $o (local.get $out))
        (block $rowDone
          (loop $colLoop
            (br_if $rowDone (i32.ge_u (local.get $m) (local.get $rowEnd)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $m)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $m (i32.add (local.get $m) (i32.const 8)))
            (br $colLoop)))
        (br $rowLoop))))

)
