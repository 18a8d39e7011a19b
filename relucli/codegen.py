"""Ready-to-paste code for a variant in PyTorch, TensorFlow, Keras, JAX and Flax.

The variant, its parameters and their validation come from the registry; this module
knows how each framework spells the activation (functional and layer form) and where
its defaults or conventions differ from PyTorch's, which relucli follows. Every
parameter is written explicitly, so that the pasted code means the same thing in
every framework; a one-line warning follows wherever a framework's default or
convention would change the numbers.

>>> from relucli import registry
>>> (s,) = snippets(registry.get("leaky_relu"), {"negative_slope": 0.2}, ["torch"])
>>> print(s.code)
import torch
import torch.nn.functional as F
<BLANKLINE>
y = F.leaky_relu(x, negative_slope=0.2)  # functional
act = torch.nn.LeakyReLU(negative_slope=0.2)  # layer: y = act(x)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import UsageError
from .registry import Variant

FRAMEWORKS = ("torch", "tf", "keras", "jax", "flax")
TITLES = {"torch": "PyTorch", "tf": "TensorFlow", "keras": "Keras 3", "jax": "JAX",
          "flax": "Flax (linen)"}


@dataclass
class Snippet:
    framework: str
    code: str
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return TITLES[self.framework]


def number(value: float) -> str:
    """Shortest round-trip text of a parameter: 0.2, 0.125, 0.3333333333333333."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# Each builder returns (code, warnings) for one variant in one framework.
Builder = Callable[[dict], tuple[str, list[str]]]

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


def _classic(name: str, torch_layer: str) -> Callable[[dict], dict[str, Builder]]:
    def build(p: dict) -> dict[str, Builder]:
        return {
            "torch": lambda _: (_lines("import torch", "", f"y = torch.{name}(x)  # functional",
                                       f"act = torch.nn.{torch_layer}()  # layer: y = act(x)"),
                                []),
            "tf": lambda _: (_lines("import tensorflow as tf", "",
                                    f"y = tf.math.{name}(x)  # functional",
                                    f"act = tf.keras.layers.Activation('{name}')  # layer"), []),
            "keras": lambda _: (_lines("import keras", "",
                                       f"y = keras.ops.{name}(x)  # functional",
                                       f"act = keras.layers.Activation('{name}')  # layer"), []),
            "jax": lambda _: (_lines("import jax", "", f"y = jax.nn.{name}(x)"), []),
            "flax": lambda _: (_lines("import flax.linen as nn", "",
                                      f"y = nn.{name}(x)  # inside a module's __call__"), []),
        }
    return build


def _forms(imports: dict[str, tuple[str, ...]], functional: dict[str, str],
           layer: dict[str, str | None], warnings: dict[str, list[str]] | None = None):
    """A builder from per-framework strings: the imports, the functional form and the
    layer form (None where the framework has no layer)."""
    warnings = warnings or {}

    def build(p: dict) -> dict[str, Builder]:
        def one(framework: str) -> Builder:
            lines = list(imports[framework]) + [""]
            if layer.get(framework):
                lines += [f"y = {functional[framework]}  # functional",
                          f"act = {layer[framework]}  # layer: y = act(x)"]
            else:
                lines.append(f"y = {functional[framework]}")
            return lambda _: (_lines(*lines), list(warnings.get(framework, [])))

        return {framework: one(framework) for framework in FRAMEWORKS}

    return build


TORCH = ("import torch", "import torch.nn.functional as F")
TF = ("import tensorflow as tf",)
KERAS = ("import keras",)
JAX = ("import jax",)
JNP = ("import jax.numpy as jnp",)
FLAX = ("import flax.linen as nn",)
FLAX_JNP = ("import jax.numpy as jnp", "import flax.linen as nn")
IMPORTS = {"torch": TORCH, "tf": TF, "keras": KERAS, "jax": JAX, "flax": FLAX}


def _generalized(p: dict) -> dict[str, Builder]:
    s_, t = number(p["negative_slope"]), number(p["threshold"])
    capped = p["max_value"] != float("inf")
    m = number(p["max_value"])
    keras_m = m if capped else "None"
    below = "torch.zeros_like(x)" if p["negative_slope"] == 0 else f"{s_} * (x - {t})"
    above = f"torch.clamp(x, max={m})" if capped else "x"
    jbelow = "0.0" if p["negative_slope"] == 0 else f"{s_} * (x - {t})"
    jabove = f"jnp.minimum(x, {m})" if capped else "x"
    composed = ("composed from where and clamp: their gradient at the threshold and the "
                "cap is 1, relucli's is 0")
    keras_note = ("Keras builds this from backend ops: with max_value=6 and threshold=0 its "
                  "gradient at 6 is relu6's 0, otherwise the backend's clip decides at the cap")
    return _forms(
        {"torch": TORCH[:1], "tf": TF, "keras": KERAS, "jax": JNP, "flax": JNP},
        {"torch": f"torch.where(x < {t}, {below}, {above})",
         "tf": f"tf.keras.activations.relu(x, negative_slope={s_}, max_value={keras_m}, threshold={t})",
         "keras": f"keras.activations.relu(x, negative_slope={s_}, max_value={keras_m}, threshold={t})",
         "jax": f"jnp.where(x < {t}, {jbelow}, {jabove})",
         "flax": f"jnp.where(x < {t}, {jbelow}, {jabove})"},
        {"tf": f"tf.keras.layers.ReLU(max_value={keras_m}, negative_slope={s_}, threshold={t})",
         "keras": f"keras.layers.ReLU(max_value={keras_m}, negative_slope={s_}, threshold={t})"},
        {"torch": ["PyTorch has no such function; " + composed], "tf": [keras_note],
         "keras": [keras_note], "jax": [composed.replace("and clamp", "and minimum")],
         "flax": [composed.replace("and clamp", "and minimum")]},
    )(p)


def _hardtanh(p: dict) -> dict[str, Builder]:
    a, b = number(p["min_val"]), number(p["max_val"])
    standard = p["min_val"] == -1 and p["max_val"] == 1
    bound_note = "the gradient of clip at the bounds is 1 there (PyTorch's hardtanh: 0)"
    return _forms(
        {"torch": TORCH, "tf": TF, "keras": KERAS, "jax": JAX if standard else JNP,
         "flax": FLAX if standard else JNP},
        {"torch": f"F.hardtanh(x, min_val={a}, max_val={b})",
         "tf": f"tf.clip_by_value(x, {a}, {b})", "keras": f"keras.ops.clip(x, {a}, {b})",
         "jax": "jax.nn.hard_tanh(x)" if standard else f"jnp.clip(x, {a}, {b})",
         "flax": "nn.hard_tanh(x)" if standard else f"jnp.clip(x, {a}, {b})"},
        {"torch": f"torch.nn.Hardtanh(min_val={a}, max_val={b})"},
        {"tf": [bound_note], "keras": [bound_note],
         "jax": [] if standard else ["jax.nn.hard_tanh is fixed at ±1; " + bound_note],
         "flax": [] if standard else ["flax's hard_tanh is fixed at ±1; " + bound_note]},
    )(p)


def _threshold(p: dict) -> dict[str, Builder]:
    t, v = number(p["threshold"]), number(p["value"])
    return _forms(
        {"torch": TORCH, "tf": TF, "keras": KERAS, "jax": JNP, "flax": JNP},
        {"torch": f"F.threshold(x, {t}, {v})", "tf": f"tf.where(x > {t}, x, {v})",
         "keras": f"keras.ops.where(x > {t}, x, {v})", "jax": f"jnp.where(x > {t}, x, {v})",
         "flax": f"jnp.where(x > {t}, x, {v})"},
        {"torch": f"torch.nn.Threshold({t}, {v})"},
        {f: ["no threshold activation outside PyTorch: written with where"]
         for f in ("tf", "keras", "jax", "flax")},
    )(p)


def _elu_like(name: str, layer: str, tf_fixed: bool):
    def build(p: dict) -> dict[str, Builder]:
        a = number(p["alpha"])
        one = p["alpha"] == 1
        tf_f = (f"tf.nn.{name}(x)" if one and tf_fixed else
                f"tf.keras.activations.{name}(x, alpha={a})")
        return _forms(
            IMPORTS,
            {"torch": f"F.{name}(x, alpha={a})", "tf": tf_f,
             "keras": f"keras.ops.{name}(x, alpha={a})",
             "jax": f"jax.nn.{name}(x, alpha={a})", "flax": f"nn.{name}(x, alpha={a})"},
            {"torch": f"torch.nn.{layer}(alpha={a})",
             "tf": f"tf.keras.layers.{layer}(alpha={a})" if name == "elu" else None,
             "keras": f"keras.layers.{layer}(alpha={a})" if name == "elu" else None},
        )(p)
    return build


def _named(torch_name: str, layer: str, tf_f: str, keras_f: str, jax_f: str, flax_f: str,
           imports: dict | None = None, warnings: dict | None = None):
    """Functions without parameters."""
    return _forms(
        imports or IMPORTS,
        {"torch": f"F.{torch_name}(x)", "tf": tf_f, "keras": keras_f, "jax": jax_f,
         "flax": flax_f},
        {"torch": f"torch.nn.{layer}()"},
        warnings,
    )


def _gelu(p: dict) -> dict[str, Builder]:
    tanh = p["approximate"] == "tanh"
    flag = "True" if tanh else "False"
    default_note = ("defaults to approximate=True (the tanh form); PyTorch to the exact "
                    "erf form") if not tanh else ""
    exact_tail = ("relucli's exact GELU uses erfc and stays accurate below -5.5, where "
                  "PyTorch's float32 one returns -0.0") if not tanh else ""
    return _forms(
        IMPORTS,
        {"torch": f"F.gelu(x, approximate={'tanh' if tanh else 'none'!r})",
         "tf": f"tf.nn.gelu(x, approximate={flag})",
         "keras": f"keras.ops.gelu(x, approximate={flag})",
         "jax": f"jax.nn.gelu(x, approximate={flag})",
         "flax": f"nn.gelu(x, approximate={flag})"},
        {"torch": f"torch.nn.GELU(approximate={'tanh' if tanh else 'none'!r})"},
        {"torch": [exact_tail] if exact_tail else [],
         "keras": [f"keras.ops.gelu {default_note}"] if default_note else [],
         "jax": [f"jax.nn.gelu {default_note}"] if default_note else [],
         "flax": [f"flax.linen.gelu {default_note}"] if default_note else []},
    )(p)


def _softplus(p: dict) -> dict[str, Builder]:
    b, t = number(p["beta"]), number(p["threshold"])
    one = p["beta"] == 1

    def scaled(f: str) -> str:
        return f"{f}(x)" if one else f"{f}({b} * x) / {b}"

    note = (f"no threshold switch: PyTorch returns x where {b}·x > {t}; the two differ by "
            f"less than e^-{t} there")
    return _forms(
        IMPORTS,
        {"torch": f"F.softplus(x, beta={b}, threshold={t})", "tf": scaled("tf.math.softplus"),
         "keras": scaled("keras.ops.softplus"), "jax": scaled("jax.nn.softplus"),
         "flax": scaled("nn.softplus")},
        {"torch": f"torch.nn.Softplus(beta={b}, threshold={t})"},
        {f: [note] for f in ("tf", "keras", "jax", "flax")},
    )(p)


BUILDERS: dict[str, Callable[[dict], dict[str, Builder]]] = {
    "relu": _relu,
    "leaky_relu": _leaky,
    "prelu": _prelu,
    "rrelu": _rrelu,
    "relu6": _relu6,
    "sigmoid": _classic("sigmoid", "Sigmoid"),
    "tanh": _classic("tanh", "Tanh"),
    "generalized_relu": _generalized,
    "hardtanh": _hardtanh,
    "threshold": _threshold,
    "elu": _elu_like("elu", "ELU", tf_fixed=True),
    "celu": _elu_like("celu", "CELU", tf_fixed=False),
    "selu": _named("selu", "SELU", "tf.nn.selu(x)", "keras.ops.selu(x)", "jax.nn.selu(x)",
                   "nn.selu(x)"),
    "gelu": _gelu,
    "silu": _named("silu", "SiLU", "tf.nn.silu(x)", "keras.ops.silu(x)", "jax.nn.silu(x)",
                   "nn.silu(x)"),
    "mish": _named("mish", "Mish", "tf.keras.activations.mish(x)", "keras.activations.mish(x)",
                   "x * jnp.tanh(jax.nn.softplus(x))", "x * jnp.tanh(nn.softplus(x))",
                   imports={"torch": TORCH, "tf": TF, "keras": KERAS,
                            "jax": ("import jax", "import jax.numpy as jnp"), "flax": FLAX_JNP}),
    "softplus": _softplus,
    "hardswish": _named("hardswish", "Hardswish", "tf.keras.activations.hard_swish(x)",
                        "keras.ops.hard_swish(x)", "jax.nn.hard_swish(x)", "nn.hard_swish(x)"),
    "hardsigmoid": _named(
        "hardsigmoid", "Hardsigmoid", "tf.keras.activations.hard_sigmoid(x)",
        "keras.ops.hard_sigmoid(x)", "jax.nn.hard_sigmoid(x)", "nn.hard_sigmoid(x)",
        warnings={"tf": ["Keras 2 (TensorFlow <= 2.15) used 0.2·x + 0.5; Keras 3 uses x/6 + 1/2"],
                  "keras": ["Keras 2 used 0.2·x + 0.5; Keras 3 uses x/6 + 1/2, as PyTorch"]}),
}


def frameworks(requested: list[str]) -> list[str]:
    chosen: list[str] = []
    for name in requested:
        name = name.lower()
        group = FRAMEWORKS if name == "all" else (name,)
        for item in group:
            if item not in FRAMEWORKS:
                raise UsageError(f"unknown framework '{item}' (choose from "
                                 f"{', '.join(FRAMEWORKS)} or all)")
            if item not in chosen:
                chosen.append(item)
    return chosen


def snippets(variant: Variant, params: dict[str, Any], chosen: list[str]) -> list[Snippet]:
    """The code for ``variant`` with its resolved ``params`` in each chosen framework."""
    if variant.name not in BUILDERS:
        raise UsageError(f"no code templates for {variant.name} yet")
    resolved = variant.resolve_params(params)
    builders = BUILDERS[variant.name](resolved)
    result = []
    for framework in chosen:
        code, warnings = builders[framework](resolved)
        result.append(Snippet(framework, code + "\n" if not code.endswith("\n") else code,
                              warnings))
    return [Snippet(s.framework, s.code.rstrip("\n"), s.warnings) for s in result]


# --------------------------------------------------------------------------------------
# Translation from a PyTorch call: relu code "nn.LeakyReLU(0.2)" --from torch -f keras

#: torch name -> (variant, the positional parameter names after any input, and how
#: torch's parameter names map to the registry's)
TORCH_CALLS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "relu": ("relu", ("input",), {}),
    "ReLU": ("relu", ("inplace",), {}),
    "leaky_relu": ("leaky_relu", ("input", "negative_slope"), {}),
    "LeakyReLU": ("leaky_relu", ("negative_slope",), {}),
    "prelu": ("prelu", ("input", "weight"), {"weight": "alpha"}),
    "PReLU": ("prelu", ("num_parameters", "init"), {}),
    "rrelu": ("rrelu", ("input", "lower", "upper", "training"), {}),
    "RReLU": ("rrelu", ("lower", "upper"), {}),
    "relu6": ("relu6", ("input",), {}),
    "ReLU6": ("relu6", ("inplace",), {}),
    "hardtanh": ("hardtanh", ("input", "min_val", "max_val"), {}),
    "Hardtanh": ("hardtanh", ("min_val", "max_val"), {}),
    "threshold": ("threshold", ("input", "threshold", "value"), {}),
    "Threshold": ("threshold", ("threshold", "value"), {}),
    "elu": ("elu", ("input", "alpha"), {}),
    "ELU": ("elu", ("alpha",), {}),
    "selu": ("selu", ("input",), {}),
    "SELU": ("selu", ("inplace",), {}),
    "celu": ("celu", ("input", "alpha"), {}),
    "CELU": ("celu", ("alpha",), {}),
    "gelu": ("gelu", ("input",), {}),
    "GELU": ("gelu", ("approximate",), {}),
    "silu": ("silu", ("input",), {}),
    "SiLU": ("silu", ("inplace",), {}),
    "mish": ("mish", ("input",), {}),
    "Mish": ("mish", ("inplace",), {}),
    "softplus": ("softplus", ("input", "beta", "threshold"), {}),
    "Softplus": ("softplus", ("beta", "threshold"), {}),
    "hardswish": ("hardswish", ("input",), {}),
    "Hardswish": ("hardswish", ("inplace",), {}),
    "hardsigmoid": ("hardsigmoid", ("input",), {}),
    "Hardsigmoid": ("hardsigmoid", ("inplace",), {}),
    "sigmoid": ("sigmoid", ("input",), {}),
    "Sigmoid": ("sigmoid", (), {}),
    "tanh": ("tanh", ("input",), {}),
    "Tanh": ("tanh", (), {}),
}
_IGNORED = {"input", "inplace", "training"}


def _literal(node, text: str):
    """A number, a string, a list, or torch.tensor([...]) / torch.full((C,), v)."""
    import ast

    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name.endswith("tensor") and node.args:
            return _literal(node.args[0], text)
        if name.endswith("full") and len(node.args) >= 2:
            shape, value = _literal(node.args[0], text), _literal(node.args[1], text)
            count = shape[0] if isinstance(shape, (list, tuple)) else shape
            return [value] * int(count)
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise UsageError(f"cannot read {ast.unparse(node)!r} in {text!r}: give numbers") from None


def parse_torch_call(text: str) -> tuple[Variant, dict[str, Any]]:
    """``nn.LeakyReLU(0.2)``, ``F.gelu(x, approximate='tanh')``,
    ``torch.nn.PReLU(num_parameters=3, init=0.1)`` -> the variant and its parameters.

    >>> v, p = parse_torch_call("torch.nn.LeakyReLU(negative_slope=0.2)")
    >>> v.name, p
    ('leaky_relu', {'negative_slope': 0.2})
    """
    import ast

    from .registry import get

    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise UsageError(f"not a Python call: {text!r}") from None
    if not isinstance(tree, ast.Call):
        raise UsageError(f"not a call: {text!r} (for example nn.LeakyReLU(0.2))")
    name = ast.unparse(tree.func).rsplit(".", 1)[-1]
    if name not in TORCH_CALLS:
        known = ", ".join(sorted({n for n in TORCH_CALLS if n[0].isupper()}))
        raise UsageError(f"unknown PyTorch activation {name!r} (known: {known} and their "
                         "torch.nn.functional forms)")
    variant_name, positional, renames = TORCH_CALLS[name]
    variant = get(variant_name)
    given: dict[str, Any] = {}
    if len(tree.args) > len(positional):
        raise UsageError(f"{name} takes at most {len(positional)} positional arguments")
    for param, node in zip(positional, tree.args):
        given[param] = node
    for keyword in tree.keywords:
        if keyword.arg is None:
            raise UsageError(f"cannot translate **kwargs in {text!r}")
        given[keyword.arg] = keyword.value
    params: dict[str, Any] = {}
    channels, init = None, None
    for param, node in given.items():
        if param in _IGNORED:
            continue
        value = _literal(node, text)
        if variant_name == "prelu" and param == "num_parameters":
            channels = int(value)
        elif variant_name == "prelu" and param == "init":
            init = value
        else:
            target = renames.get(param, param)
            variant.param(target)  # an unknown name fails here, naming the allowed ones
            params[target] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else value
    if variant_name == "prelu" and (channels or init is not None):
        alpha = 0.25 if init is None else init
        params["alpha"] = ",".join([str(alpha)] * channels) if channels and channels > 1 else alpha
    variant.resolve_params(params)
    return variant, params
