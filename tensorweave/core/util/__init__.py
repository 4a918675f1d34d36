"""TensorFlow's ``tensorflow/core/util`` protos: ``event_pb2`` (Event, SessionLog ...)."""
