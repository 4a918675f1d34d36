"""TensorFlow's ``tensorflow/core/protobuf`` protos (meta graphs, savers), built without
``protoc``."""
