import {
  Conv2d,
  LayerNorm,
  Module,
  ValueError,
  cat,
  maxPool2d,
  permute,
  relu,
  type Generator,
  type DType,
  Tensor,
} from '@recurrent/core';

export interface SceneEncoderOptions {
  /** Channels of each conv block; each block is conv 3×3 → ReLU, and every block but the last halves the grid. */
  channels?: number[];
  /** Append two coordinate channels (x, y in [−1, 1]) to the grid, so attention context carries position. */
  coordinates?: boolean;
  /**
   * Layer-normalise each grid cell's features over the channels (module `norm`), before the coordinates: keeps the
   * attention's tanh layer out of saturation as the conv features grow during training (default false).
   */
  featureNorm?: boolean;
  dtype?: DType;
  generator?: Generator;
}

/**
 * A small CNN for synthetic scenes: [B, 3, S, S] in [−1, 1] → a feature grid [B, D, S/2^(k−1), S/2^(k−1)] with
 * D = last channels (+2 coordinate channels). Weights `conv{i}.weight|bias` (and `norm.weight|bias` with featureNorm)
 * as a PyTorch nn.Module with attributes conv1, conv2, … (and norm, an nn.LayerNorm applied channels-last).
 */
export class SceneEncoder extends Module {
  readonly convs: Conv2d[];
  readonly coordinates: boolean;
  readonly norm: LayerNorm | null;
  readonly outChannels: number;

  constructor(options: SceneEncoderOptions = {}) {
    super();
    const channels = options.channels ?? [32, 64, 64];
    if (channels.length === 0 || channels.some((c) => !Number.isInteger(c) || c < 1)) {
      throw new ValueError(`SceneEncoder: channels must be positive integers, got ${JSON.stringify(channels)}`);
    }
    this.coordinates = options.coordinates ?? true;
    this.convs = channels.map((out, i) =>
      this.registerModule(
        `conv${i + 1}`,
        new Conv2d({
          inChannels: i === 0 ? 3 : channels[i - 1]!,
          outChannels: out,
          kernelSize: 3,
          padding: 1,
          dtype: options.dtype,
          generator: options.generator,
        }),
      ),
    );
    const last = channels[channels.length - 1]!;
    this.norm = options.featureNorm
      ? this.registerModule('norm', new LayerNorm({ normalizedShape: last, dtype: options.dtype }))
      : null;
    this.outChannels = last + (this.coordinates ? 2 : 0);
  }

  forward(images: Tensor): Tensor {
    let x = images;
    this.convs.forEach((conv, i) => {
      x = relu(conv.forward(x));
      if (i < this.convs.length - 1) x = maxPool2d(x, { kernelSize: 2 });
    });
    if (this.norm) x = permute(this.norm.forward(permute(x, [0, 2, 3, 1])), [0, 3, 1, 2]);
    return this.coordinates ? withCoordinates(x) : x;
  }
}

/** Append x and y coordinate channels (cell centres mapped to [−1, 1]) to an NCHW grid. */
export function withCoordinates(grid: Tensor): Tensor {
  const [B, , h, w] = grid.shape as [number, number, number, number];
  const data = new (grid.dtype === 'float64' ? Float64Array : Float32Array)(B * 2 * h * w);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        data[((b * 2 + 0) * h + i) * w + j] = ((j + 0.5) / w) * 2 - 1;
        data[((b * 2 + 1) * h + i) * w + j] = ((i + 0.5) / h) * 2 - 1;
      }
    }
  }
  return cat([grid, new Tensor(data, [B, 2, h, w])], 1);
}
