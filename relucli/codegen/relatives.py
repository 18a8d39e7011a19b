"""The code of the ReLU family's relatives (GeneralizedReLU, Hardtanh, Threshold, ELU,
CELU, SELU, GELU, SiLU, Mish, Softplus, Hardswish, Hardsigmoid) and of the classic
references (sigmoid, tanh), mostly through :func:`~relucli.codegen.forms._forms`."""

from __future__ import annotations

from typing import Callable

from .forms import (FLAX, FLAX_JNP, IMPORTS, JAX, JNP, KERAS, TF, TORCH, Builder, _forms,
                    _lines, number)


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


RELATIVE_BUILDERS: dict[str, Callable[[dict], dict[str, Builder]]] = {
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
