"""TensorFlow's ``tensorflow/core/framework`` protos, built without ``protoc``."""
