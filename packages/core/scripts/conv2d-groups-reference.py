"""Write PyTorch reference cases for grouped and depthwise Conv2d (format: shared/reference/README.md).

Run: /usr/bin/python3 packages/core/scripts/conv2d-groups-reference.py  (needs torch; Debian: apt-get install python3-torch)
Writes packages/core/test/fixtures/pytorch/conv2d_*.json, read by test/conv-depthwise.test.ts.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'pytorch')

# name: (x shape [N, C, H, W], out channels, kernel, stride, padding, dilation, groups, bias)
CASES = {
    'conv2d_depthwise_3x3': ((2, 4, 7, 6), 4, 3, 1, 1, 1, 4, True),
    'conv2d_depthwise_stride2_multiplier2': ((1, 3, 9, 8), 6, 3, 2, 1, 1, 3, True),
    'conv2d_depthwise_5x5_dilation2_nobias': ((1, 2, 10, 9), 2, 5, 1, 3, 2, 2, False),
    'conv2d_grouped_2': ((2, 4, 6, 5), 6, 3, 2, 0, 1, 2, True),
}


def tensor_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def main():
    os.makedirs(OUT, exist_ok=True)
    for seed, (name, (xs, out, k, stride, padding, dilation, groups, bias)) in enumerate(sorted(CASES.items())):
        torch.manual_seed(seed + 1)
        conv = torch.nn.Conv2d(xs[1], out, k, stride=stride, padding=padding, dilation=dilation, groups=groups,
                               bias=bias).double()
        x = torch.randn(*xs, dtype=torch.float64, requires_grad=True)
        y = conv(x)
        w_y = torch.randn(*y.shape, dtype=torch.float64)
        loss = (y * w_y).sum()
        loss.backward()
        grads = {'x': tensor_json(x.grad)}
        state = {}
        for pname, p in conv.named_parameters():
            state['conv.' + pname] = tensor_json(p)
            grads['conv.' + pname] = tensor_json(p.grad)
        case = {
            'module': 'Conv2d(groups)',
            'config': {'conv': {'in': xs[1], 'out': out, 'k': k, 'stride': stride, 'padding': padding,
                                'dilation': dilation, 'groups': groups, 'bias': 1 if bias else 0}},
            'note': 'NCHW; depthwise when groups = in channels.',
            'state_dict': state,
            'inputs': {'x': tensor_json(x)},
            'outputs': {'y': tensor_json(y)},
            'loss_weights': {'w_y': tensor_json(w_y)},
            'loss': float(loss),
            'grads': grads,
            'generator': 'torch %s, float64, seed %d' % (torch.__version__, seed + 1),
        }
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(case, f)
        print(name, tuple(y.shape))


if __name__ == '__main__':
    main()
