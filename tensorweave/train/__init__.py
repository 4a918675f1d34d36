"""``tf.train``: optimizers, global step, learning-rate schedules.

Usage::

    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, decay_steps=1000, decay_rate=0.96)
    train_op = tf.train.AdamOptimizer(lr).minimize(loss, global_step=step)
"""
from .optimizer import Optimizer  # noqa: F401
from .gradient_descent import GradientDescentOptimizer  # noqa: F401
from .momentum import MomentumOptimizer  # noqa: F401
from .adam import AdamOptimizer  # noqa: F401
from .rmsprop import RMSPropOptimizer  # noqa: F401
from .adagrad import AdagradOptimizer  # noqa: F401
from .adadelta import AdadeltaOptimizer  # noqa: F401
from .ftrl import FtrlOptimizer  # noqa: F401
from .training_util import (get_global_step, create_global_step,  # noqa: F401
                            get_or_create_global_step, global_step, assert_global_step)
from .learning_rate_decay import (exponential_decay, piecewise_constant,  # noqa: F401
                                  polynomial_decay, natural_exp_decay, inverse_time_decay,
                                  cosine_decay, cosine_decay_restarts, linear_cosine_decay)

# --- loaded on first use: checkpoints and Example protos (protobuf, crc32c) ------------------
from ..util.lazy import lazy_attributes  # noqa: E402

_EXAMPLE = ("Example", "SequenceExample", "Features", "Feature", "FeatureList", "FeatureLists",
            "BytesList", "FloatList", "Int64List")
_CHECKPOINT_MANAGEMENT = ("latest_checkpoint", "get_checkpoint_state", "update_checkpoint_state",
                          "generate_checkpoint_state_proto", "checkpoint_exists",
                          "get_checkpoint_mtimes", "remove_checkpoint", "CheckpointState")
_CHECKPOINT_UTILS = ("NewCheckpointReader", "list_variables", "load_variable", "load_checkpoint",
                     "init_from_checkpoint")
__getattr__, __dir__ = lazy_attributes(__name__, globals(), {
    **{n: ("..core.example", n) for n in _EXAMPLE},
    **{n: (".saver", n) for n in ("Saver", "SaverDef")},
    **{n: (".checkpoint_management", n) for n in _CHECKPOINT_MANAGEMENT},
    **{n: (".checkpoint_utils", n) for n in _CHECKPOINT_UTILS},
    "summary_iterator": ("..summary.summary_iterator", "summary_iterator"),
    "write_graph": ("..framework.graph_io", "write_graph"),
    **{n: ("..framework.meta_graph", n) for n in ("export_meta_graph", "import_meta_graph")},
})
