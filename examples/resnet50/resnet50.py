"""ResNet-50 as a subclassed ``tf.keras.Model`` for eager execution (the TF contrib eager
example's design): identity and convolution blocks are nested Models; layer names follow the
original Caffe model (``conv1``, ``bn_conv1``, ``res2a_branch2a`` ...).

Usage::

    model = ResNet50("channels_last", classes=1000)
    logits = model(images, training=True)            # images: (batch, 224, 224, 3)
"""
import tensorweave as tf

layers = tf.keras.layers


class _IdentityBlock(tf.keras.Model):
    """Three convolutions (1x1, k x k, 1x1) with batch norm; the input is added back."""

    def __init__(self, kernel_size, filters, stage, block, data_format):
        super().__init__(name="")
        f1, f2, f3 = filters
        conv, bn = f"res{stage}{block}_branch", f"bn{stage}{block}_branch"
        axis = 1 if data_format == "channels_first" else 3
        self.conv2a = layers.Conv2D(f1, (1, 1), name=conv + "2a", data_format=data_format)
        self.bn2a = layers.BatchNormalization(axis=axis, name=bn + "2a")
        self.conv2b = layers.Conv2D(f2, kernel_size, padding="same", data_format=data_format,
                                    name=conv + "2b")
        self.bn2b = layers.BatchNormalization(axis=axis, name=bn + "2b")
        self.conv2c = layers.Conv2D(f3, (1, 1), name=conv + "2c", data_format=data_format)
        self.bn2c = layers.BatchNormalization(axis=axis, name=bn + "2c")

    def call(self, input_tensor, training=False):
        x = tf.nn.relu(self.bn2a(self.conv2a(input_tensor), training=training))
        x = tf.nn.relu(self.bn2b(self.conv2b(x), training=training))
        x = self.bn2c(self.conv2c(x), training=training)
        return tf.nn.relu(x + input_tensor)


class _ConvBlock(tf.keras.Model):
    """Like the identity block, with ``strides`` on the first convolution and a projected
    (1x1 conv + batch norm) shortcut."""

    def __init__(self, kernel_size, filters, stage, block, data_format, strides=(2, 2)):
        super().__init__(name="")
        f1, f2, f3 = filters
        conv, bn = f"res{stage}{block}_branch", f"bn{stage}{block}_branch"
        axis = 1 if data_format == "channels_first" else 3
        self.conv2a = layers.Conv2D(f1, (1, 1), strides=strides, name=conv + "2a",
                                    data_format=data_format)
        self.bn2a = layers.BatchNormalization(axis=axis, name=bn + "2a")
        self.conv2b = layers.Conv2D(f2, kernel_size, padding="same", name=conv + "2b",
                                    data_format=data_format)
        self.bn2b = layers.BatchNormalization(axis=axis, name=bn + "2b")
        self.conv2c = layers.Conv2D(f3, (1, 1), name=conv + "2c", data_format=data_format)
        self.bn2c = layers.BatchNormalization(axis=axis, name=bn + "2c")
        self.conv_shortcut = layers.Conv2D(f3, (1, 1), strides=strides, name=conv + "1",
                                           data_format=data_format)
        self.bn_shortcut = layers.BatchNormalization(axis=axis, name=bn + "1")

    def call(self, input_tensor, training=False):
        x = tf.nn.relu(self.bn2a(self.conv2a(input_tensor), training=training))
        x = tf.nn.relu(self.bn2b(self.conv2b(x), training=training))
        x = self.bn2c(self.conv2c(x), training=training)
        shortcut = self.bn_shortcut(self.conv_shortcut(input_tensor), training=training)
        return tf.nn.relu(x + shortcut)


class ResNet50(tf.keras.Model):
    """ResNet-50: ``include_top`` adds 7x7 average pooling and the ``fc1000`` classifier;
    without it, ``pooling`` ('avg', 'max' or None) decides what the features become."""

    def __init__(self, data_format, name="", trainable=True, include_top=True, pooling=None,
                 classes=1000):
        super().__init__(name=name)
        if data_format not in ("channels_first", "channels_last"):
            raise ValueError(f"Unknown data_format: {data_format}")
        self.include_top = include_top
        axis = 1 if data_format == "channels_first" else 3

        def conv_block(filters, stage, block, strides=(2, 2)):
            return _ConvBlock(3, filters, stage, block, data_format, strides)

        def id_block(filters, stage, block):
            return _IdentityBlock(3, filters, stage, block, data_format)

        self.conv1 = layers.Conv2D(64, (7, 7), strides=(2, 2), padding="same", name="conv1",
                                   data_format=data_format)
        self.bn_conv1 = layers.BatchNormalization(axis=axis, name="bn_conv1")
        self.max_pool = layers.MaxPooling2D((3, 3), strides=(2, 2), data_format=data_format)
        self.l2a = conv_block([64, 64, 256], 2, "a", strides=(1, 1))
        self.l2b = id_block([64, 64, 256], 2, "b")
        self.l2c = id_block([64, 64, 256], 2, "c")
        self.l3 = [conv_block([128, 128, 512], 3, "a")] + \
            [id_block([128, 128, 512], 3, b) for b in "bcd"]
        self.l4 = [conv_block([256, 256, 1024], 4, "a")] + \
            [id_block([256, 256, 1024], 4, b) for b in "bcdef"]
        self.l5 = [conv_block([512, 512, 2048], 5, "a")] + \
            [id_block([512, 512, 2048], 5, b) for b in "bc"]
        if include_top:
            self.avg_pool = layers.AveragePooling2D((7, 7), strides=(7, 7),
                                                    data_format=data_format)
            self.flatten = layers.Flatten()
            self.fc1000 = layers.Dense(classes, name="fc1000")
        else:
            pools = {"avg": layers.GlobalAveragePooling2D, "max": layers.GlobalMaxPooling2D}
            if pooling not in (None, "avg", "max"):
                raise ValueError(f"Unknown pooling: {pooling}")
            self.global_pooling = pools[pooling](data_format=data_format) if pooling else None
        self.trainable = trainable

    def call(self, inputs, training=True):
        x = tf.nn.relu(self.bn_conv1(self.conv1(inputs), training=training))
        x = self.max_pool(x)
        for block in [self.l2a, self.l2b, self.l2c] + self.l3 + self.l4 + self.l5:
            x = block(x, training=training)
        if self.include_top:
            return self.fc1000(self.flatten(self.avg_pool(x)))
        return self.global_pooling(x) if self.global_pooling is not None else x
