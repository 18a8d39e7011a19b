"""The options of ``relu dying-sim``, one alias each, so that the command's signature
reads as a list; the help says which model takes which (rich panels per model)."""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from ..common import EvalFormat, Init, complete_variant, variants_help
from . import MODELS

#: ``--model``'s choices, from the registry of models
Model = enum.Enum("Model", {name: name for name in MODELS}, type=str)


class Dist(str, enum.Enum):
    normal = "normal"
    uniform = "uniform"
    t = "t"


class LayerInputs(str, enum.Enum):
    gaussian = "gaussian"
    uniform01 = "uniform01"
    post_relu = "post-relu"


class BiasScaling(str, enum.Enum):
    constant = "constant"
    fan_in = "fan-in"


class Method(str, enum.Enum):
    samples = "samples"
    counts = "counts"


VariantsOption = Annotated[Optional[list[str]], typer.Argument(
    help=variants_help("Variants to simulate", "family, the five of the ReLU family"),
    metavar="[VARIANT]...",
    autocompletion=complete_variant,
    show_default=False)]
ModelOption = Annotated[Model, typer.Option("--model", "-m", help="What to simulate.")]
UnitsOption = Annotated[Optional[int], typer.Option(
    "--units", rich_help_panel="Sizes (several models)", help="Units simulated \\[unit, kick: 100000; layer: 1000 per layer].",
    show_default=False)]
BatchOption = Annotated[Optional[int], typer.Option(
    "--batch", rich_help_panel="Sizes (several models)", help="Samples per batch \\[unit: 8; layer, train, kick, wide: 32]; kick: 0 is the population gradient (batch -> ∞).", show_default=False)]
MeanOption = Annotated[Optional[float], typer.Option(
    "--mean", rich_help_panel="unit model", help="unit: mean of the pre-activations [0].", show_default=False)]
StdOption = Annotated[Optional[float], typer.Option(
    "--std", rich_help_panel="unit model", help="unit: standard deviation (scale for t) [1].", show_default=False)]
DistOption = Annotated[Optional[Dist], typer.Option(
    "--dist", rich_help_panel="unit model", help="unit: distribution of the pre-activations \\[normal].",
    show_default=False)]
DfOption = Annotated[Optional[float], typer.Option(
    "--df", rich_help_panel="unit model", help="unit: degrees of freedom of --dist t \\[3].", show_default=False)]
BiasOption = Annotated[Optional[float], typer.Option(
    "--bias", rich_help_panel="Sizes (several models)", help="unit, layer: bias added to every pre-activation; kick: the unit's bias before the step [0].",
    show_default=False)]
BiasStdOption = Annotated[Optional[float], typer.Option(
    "--bias-std", rich_help_panel="Sizes (several models)", help="layer, depth: random biases ~ N(--bias, std²); wide: N(0, std²) [0].",
    show_default=False)]
BiasScalingOption = Annotated[Optional[BiasScaling], typer.Option(
    "--bias-scaling", rich_help_panel="Sizes (several models)", help="layer, depth: each "
    "layer's biases ~ N(--bias, std²) with std = --bias-std (constant) or --bias-std / "
    "fan-in (Lu et al. 2019's symmetric biases) \\[constant].", show_default=False)]
MethodOption = Annotated[Optional[Method], typer.Option(
    "--method", rich_help_panel="unit model", help="unit: draw every pre-activation (samples), or only each unit's "
    "counts per region (counts: same distribution, much faster) \\[samples].",
    show_default=False)]
FanInOption = Annotated[Optional[int], typer.Option(
    "--fan-in", rich_help_panel="layer model", help="layer, kick: inputs per unit \\[100].", show_default=False)]
InitOption = Annotated[Optional[Init], typer.Option(
    "--init", rich_help_panel="layer model", help="layer, train, kick, wide: weight initialisation (normal; train: of the hidden layers); he-leaky: std sqrt(2 / ((1+a²) · fan_in)), a the variant's negative slope, as kaiming_normal_(a=a) \\[he].", show_default=False)]
InputsKindOption = Annotated[Optional[LayerInputs], typer.Option(
    "--inputs", rich_help_panel="layer model", help="layer: inputs N(0,1), U(0,1) or relu(N(0,1)) \\[gaussian].",
    show_default=False)]
TrialsOption = Annotated[Optional[int], typer.Option(
    "--trials", rich_help_panel="Sizes (several models)", help="layer, depth, train, wide: independent repetitions "
    "\\[layer 10, depth 1000, train 5, wide 20].", show_default=False)]
DepthOption = Annotated[Optional[int], typer.Option(
    "--depth", rich_help_panel="Sizes (several models)", help="depth: hidden layers \\[10]; train: hidden layers \\[2]; wide \\[20].",
    show_default=False)]
WidthOption = Annotated[Optional[int], typer.Option(
    "--width", rich_help_panel="Sizes (several models)", help="depth: units per layer \\[3]; train \\[32]; wide \\[256].", show_default=False)]
InDimOption = Annotated[Optional[int], typer.Option(
    "--in-dim", rich_help_panel="depth model", help="depth: inputs, 1 to 4; the domain [-1, 1]^in_dim is decided "
    "exactly [1]; train: inputs of the teacher task, x ~ N(0, I) [10]; wide: dimension "
    "of the Gaussian inputs \\[256].",
    show_default=False)]
LrOption = Annotated[Optional[str], typer.Option(
    "--lr", rich_help_panel="train model", help="train: learning rates \\[0.01,0.1,1,3,5].", show_default=False)]
StepsOption = Annotated[Optional[int], typer.Option(
    "--steps", rich_help_panel="train model", help="train: SGD steps \\[300].", show_default=False)]
TrainOption = Annotated[bool, typer.Option(
    "--train", help="RReLU in training mode (random slopes).")]
SweepOption = Annotated[Optional[list[str]], typer.Option(
    "--sweep", metavar="NAME=START:STOP:NUM", help="Run over a range of one option, "
    "e.g. bias=-3:1:9, depth=1:50:50, or a list: batch=1,8,32.",
    show_default=False)]
IndependentOption = Annotated[bool, typer.Option(
    "--independent", help="With --sweep: each value from a random stream of its own "
    "(independent rows); by default every value reuses the seed's draws (rows "
    "correlated, curves smoother than independent runs; a depth sweep is then one run "
    "at the deepest depth).")]
OutputFormatOption = Annotated[EvalFormat, typer.Option(
    "--format", help="Output format on stdout.")]
OutputOption = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE", help="Also write the result: .json or .csv data, or a "
    ".png, .svg or .pdf figure (with --sweep, the fraction against the swept value; "
    "depth: per layer; train: per learning rate).", show_default=False)]
NearZeroOption = Annotated[float, typer.Option(
    "--near-zero", metavar="EPS", help="Smooth variants (GELU, Sigmoid...): a unit is "
    "nearly dead when |gradient| < EPS for the whole batch.")]


class TrainTask(str, enum.Enum):
    teacher = "teacher"
    circle = "circle"


TaskOption = Annotated[Optional[TrainTask], typer.Option(
    "--task", metavar="TASK", rich_help_panel="train model", help="train: teacher (the default): "
    "--classes labels from a random teacher network on x ~ N(0, I_in_dim), softmax "
    "cross-entropy, a fresh batch every step, dead units and accuracy judged on "
    "--eval-samples held-out inputs; circle: the first task, inside or outside a circle "
    "(2 inputs, a fixed training set of 256 points, dead judged on it) \\[teacher].",
    show_default=False)]
ClassesOption = Annotated[Optional[int], typer.Option(
    "--classes", rich_help_panel="train model", help="train: classes of the teacher task "
    "\\[10].", show_default=False)]
StepOption = Annotated[Optional[float], typer.Option(
    "--step", rich_help_panel="kick model", help="kick: the SGD step η·δ (learning rate "
    "times the upstream gradient) \\[3.5, near the peak s·√(2π) at He init].",
    show_default=False)]
EvalSamplesOption = Annotated[Optional[int], typer.Option(
    "--eval-samples", rich_help_panel="Sizes (several models)", help="kick: fresh samples "
    "the unit is judged on after the step (dead: zero gradient on all of them) \\[100]; "
    "train: held-out inputs on which the test accuracy (and, teacher task, the dead "
    "units) are judged \\[2000].",
    show_default=False)]
