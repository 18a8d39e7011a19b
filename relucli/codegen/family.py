"""The code of the five variants of the ReLU family (ReLU, LeakyReLU, PReLU, RReLU,
ReLU6) in each framework, with the warnings where a framework's default or convention
(the gradient at the kink, PReLU's channel axis, RReLU's existence) would change the
numbers."""

from __future__ import annotations

from typing import Callable

from .forms import Builder, _lines, number

JAX_KINK = ("{name}'s gradient at 0 is {jax} in JAX (jnp.where(x >= 0, ...)); PyTorch and "
            "relucli take {torch}")


def _relu(p: dict) -> dict[str, Builder]:
    return {
        "torch": lambda p: (_lines("import torch", "import torch.nn.functional as F", "",
                                   "y = F.relu(x)  # functional",
                                   "act = torch.nn.ReLU()  # layer: y = act(x)"), []),
        "tf": lambda p: (_lines("import tensorflow as tf", "",
                                "y = tf.nn.relu(x)  # functional",
                                "act = tf.keras.layers.ReLU()  # layer: y = act(x)"), []),
        "keras": lambda p: (_lines("import keras", "",
                                   "y = keras.ops.relu(x)  # functional",
                                   "act = keras.layers.ReLU()  # layer: y = act(x)"), []),
        "jax": lambda p: (_lines("import jax", "", "y = jax.nn.relu(x)"), []),
        "flax": lambda p: (_lines("import flax.linen as nn", "",
                                  "y = nn.relu(x)  # inside a module's __call__"), []),
    }


def _leaky(p: dict) -> dict[str, Builder]:
    s = number(p["negative_slope"])

    def differs(default: float, where: str) -> list[str]:
        if p["negative_slope"] == default:
            return []
        return [f"{where} defaults to {number(default)}; the slope is written explicitly"]

    kink = JAX_KINK.format(name="leaky_relu", jax=1, torch="the slope")
    return {
        "torch": lambda _: (_lines(
            "import torch", "import torch.nn.functional as F", "",
            f"y = F.leaky_relu(x, negative_slope={s})  # functional",
            f"act = torch.nn.LeakyReLU(negative_slope={s})  # layer: y = act(x)"), []),
        "tf": lambda _: (_lines(
            "import tensorflow as tf", "",
            f"y = tf.nn.leaky_relu(x, alpha={s})  # functional",
            f"act = tf.keras.layers.LeakyReLU(negative_slope={s})  # layer: y = act(x)"),
            differs(0.2, "tf.nn.leaky_relu") + differs(0.3, "tf.keras.layers.LeakyReLU")
            + ["tf.keras.layers.LeakyReLU takes alpha= instead of negative_slope= in "
               "TensorFlow <= 2.15 (Keras 2)"]),
        "keras": lambda _: (_lines(
            "import keras", "",
            f"y = keras.ops.leaky_relu(x, negative_slope={s})  # functional",
            f"act = keras.layers.LeakyReLU(negative_slope={s})  # layer: y = act(x)"),
            differs(0.2, "keras.ops.leaky_relu") + differs(0.3, "keras.layers.LeakyReLU")
            + ["with the JAX backend the gradient at 0 is 1, not the slope"]),
        "jax": lambda _: (_lines(
            "import jax", "", f"y = jax.nn.leaky_relu(x, negative_slope={s})"),
            differs(0.01, "jax.nn.leaky_relu") + [kink]),
        "flax": lambda _: (_lines(
            "import flax.linen as nn", "",
            f"y = nn.leaky_relu(x, negative_slope={s})  # inside a module's __call__"),
            differs(0.01, "flax.linen.leaky_relu") + [kink]),
    }


def _prelu(p: dict) -> dict[str, Builder]:
    alpha = p["alpha"]
    per_channel = isinstance(alpha, tuple)
    values = [number(a) for a in alpha] if per_channel else [number(alpha)]
    channels = len(values)
    same = len(set(values)) == 1
    a = values[0]
    torch_layer = [f"act = torch.nn.PReLU(num_parameters={channels}, init={a})"
                   "  # layer: y = act(x), x of shape (N, C, ...)"]
    if not same:
        torch_layer += ["with torch.no_grad():",
                        f"    act.weight.copy_(torch.tensor([{', '.join(values)}]))"]
    if per_channel:
        torch_weight = f"torch.tensor([{', '.join(values)}])"
    else:
        torch_weight = f"torch.tensor([{a}])"
    keras_init = (f"keras.initializers.Constant({a})" if same
                  else f"keras.initializers.Constant([{', '.join(values)}])")
    keras_layer = (f"act = keras.layers.PReLU(alpha_initializer={keras_init}, "
                   "shared_axes=[1, 2])  # layer: x of shape (N, H, W, C)")
    keras_alpha = f"keras.ops.convert_to_tensor([{', '.join(values)}])" if per_channel else a
    layout = ("channels: PyTorch's axis 1 (N, C, H, W); Keras' last axis (N, H, W, C), "
              "with shared_axes=[1, 2] for one slope per channel of an image")
    keras_default = ("keras.layers.PReLU starts from alpha 0 per element unless "
                     "alpha_initializer and shared_axes are set (as here)")
    return {
        "torch": lambda _: (_lines(
            "import torch", "import torch.nn.functional as F", "",
            f"y = F.prelu(x, weight={torch_weight})  # functional",
            *torch_layer),
            ([] if values == ["0.25"] * channels else
             ["torch.nn.PReLU starts at init=0.25 by default; the slopes are set explicitly"])
            + ([] if channels == 1 else
               ["torch.nn.PReLU defaults to num_parameters=1, one slope for every channel"])),
        "tf": lambda _: (_lines(
            "import tensorflow as tf", "import keras", "",
            f"y = tf.where(x > 0, x, {keras_alpha} * x)  # functional, fixed slope",
            keras_layer), [keras_default, layout]),
        "keras": lambda _: (_lines(
            "import keras", "",
            f"y = keras.ops.where(x > 0, x, {keras_alpha} * x)  # functional, fixed slope",
            keras_layer), [keras_default, layout]),
        "jax": lambda _: (_lines(
            "import jax.numpy as jnp", "",
            f"alpha = jnp.array([{', '.join(values)}])" + (
                "[None, :, None, None]  # one per channel of (N, C, H, W)" if per_channel
                else ""),
            "y = jnp.where(x > 0, x, alpha * x)  # a learnable alpha is a parameter you train"),
            ["jax.nn has no prelu: the slope is a parameter of your model"]),
        "flax": lambda _: (_lines(
            "import flax.linen as nn", "",
            f"act = nn.PReLU(negative_slope_init={a})  # layer: y = act(x)"),
            ["flax.linen.PReLU learns one scalar slope (default 0.01), not one per channel"]
            + ([f"per-channel slopes [{', '.join(values)}] need a custom module"]
               if per_channel else [])),
    }


def _rrelu(p: dict) -> dict[str, Builder]:
    lo, up = number(p["lower"]), number(p["upper"])
    mean = number((p["lower"] + p["upper"]) / 2)
    keras_layer = _lines(
        "class RReLU(keras.layers.Layer):",
        '    """PyTorch\'s RReLU: slope ~ U(lower, upper) per element in training,',
        '    (lower + upper) / 2 in evaluation."""',
        "",
        f"    def __init__(self, lower={lo}, upper={up}, **kwargs):",
        "        super().__init__(**kwargs)",
        "        self.lower, self.upper = lower, upper",
        "",
        "    def call(self, x, training=False):",
        "        if training:",
        "            slope = keras.random.uniform(keras.ops.shape(x), self.lower, self.upper)",
        "        else:",
        "            slope = (self.lower + self.upper) / 2",
        "        return keras.ops.where(x > 0, x, slope * x)",
        "",
        f"act = RReLU(lower={lo}, upper={up})  # y = act(x, training=True) while training",
    )
    only = "RReLU exists only in PyTorch; this is a faithful port (slopes from U(lower, upper))"
    return {
        "torch": lambda _: (_lines(
            "import torch", "import torch.nn.functional as F", "",
            f"y = F.rrelu(x, lower={lo}, upper={up}, training=False)"
            f"  # functional; evaluation slope {mean}",
            f"act = torch.nn.RReLU(lower={lo}, upper={up})  # layer: random in act.train() mode"),
            ["F.rrelu defaults to training=False; nn.RReLU samples slopes whenever the "
             "module is in training mode"]),
        "tf": lambda _: (_lines("import tensorflow as tf", "import keras", "", keras_layer),
                         [only]),
        "keras": lambda _: (_lines("import keras", "", keras_layer), [only]),
        "jax": lambda _: (_lines(
            "import jax", "import jax.numpy as jnp", "", "",
            f"def rrelu(x, key=None, lower={lo}, upper={up}, training=False):",
            "    if training:",
            "        slope = jax.random.uniform(key, x.shape, minval=lower, maxval=upper)",
            "    else:",
            "        slope = (lower + upper) / 2",
            "    return jnp.where(x > 0, x, slope * x)",
            "", "", "y = rrelu(x)  # evaluation; rrelu(x, key, training=True) to train"),
            [only]),
        "flax": lambda _: (_lines(
            "import jax", "import jax.numpy as jnp", "import flax.linen as nn", "", "",
            "class RReLU(nn.Module):",
            f"    lower: float = {lo}",
            f"    upper: float = {up}",
            "",
            "    @nn.compact",
            "    def __call__(self, x, deterministic: bool = True):",
            "        if deterministic:",
            "            slope = (self.lower + self.upper) / 2",
            "        else:",
            "            key = self.make_rng('rrelu')",
            "            slope = jax.random.uniform(key, x.shape, minval=self.lower, maxval=self.upper)",
            "        return jnp.where(x > 0, x, slope * x)",
            "", "",
            "act = RReLU()  # act.apply(params, x, deterministic=False, rngs={'rrelu': key})"),
            [only]),
    }


def _relu6(p: dict) -> dict[str, Builder]:
    return {
        "torch": lambda _: (_lines("import torch", "import torch.nn.functional as F", "",
                                   "y = F.relu6(x)  # functional",
                                   "act = torch.nn.ReLU6()  # layer: y = act(x)"), []),
        "tf": lambda _: (_lines("import tensorflow as tf", "",
                                "y = tf.nn.relu6(x)  # functional",
                                "act = tf.keras.layers.ReLU(max_value=6.0)  # layer: y = act(x)"),
                         []),
        "keras": lambda _: (_lines("import keras", "",
                                   "y = keras.ops.relu6(x)  # functional",
                                   "act = keras.layers.ReLU(max_value=6.0)  # layer: y = act(x)"),
                            []),
        "jax": lambda _: (_lines("import jax", "", "y = jax.nn.relu6(x)"), []),
        "flax": lambda _: (_lines("import flax.linen as nn", "",
                                  "y = nn.relu6(x)  # inside a module's __call__"), []),
    }


FAMILY_BUILDERS: dict[str, Callable[[dict], dict[str, Builder]]] = {
    "relu": _relu,
    "leaky_relu": _leaky,
    "prelu": _prelu,
    "rrelu": _rrelu,
    "relu6": _relu6,
}
