// Generated from engine/settings.cpp by scripts/write-settings-schema.mjs: do not edit.
// The settings schema (names, types, defaults, limits, choices, help, profiles), for the page
// to use before the wasm module has loaded; tests/wasm/settings-schema.test.mjs checks it is
// what the module's settingsSchema() returns.
export const SETTINGS_SCHEMA = {
  "defaultEnsemble": {
    "members": [
      {
        "preset": "mlp",
        "settings": {
          "augment": true,
          "augmentCopies": 0,
          "batchSize": 32,
          "dropout": 0,
          "epochs": 4,
          "fontDigitCopies": 0,
          "fontDigits": true,
          "l1": 0,
          "l2": 0,
          "learningRate": 0.008,
          "lrSchedule": "cosine",
          "maxBatchGflops": 0.5,
          "momentum": 0.9,
          "optimizer": "adam",
          "seed": 42,
          "strokeDigits": true,
          "testEveryEpoch": true,
          "testShare": 0.2,
          "testTarget": 0.97,
          "validationShare": 0.1
        },
        "standIn": true
      },
      {
        "preset": "mlp",
        "settings": {
          "augment": true,
          "augmentCopies": 8,
          "batchSize": 32,
          "dropout": 0,
          "epochs": 10,
          "fontDigitCopies": 4,
          "fontDigits": true,
          "l1": 0,
          "l2": 0,
          "learningRate": 0.008,
          "lrSchedule": "cosine",
          "maxBatchGflops": 0.5,
          "momentum": 0.9,
          "optimizer": "adam",
          "seed": 42,
          "strokeDigits": true,
          "testEveryEpoch": true,
          "testShare": 0.2,
          "testTarget": 0.97,
          "validationShare": 0.1
        },
        "standIn": false
      },
      {
        "preset": "cnn",
        "settings": {
          "augment": true,
          "augmentCopies": 6,
          "batchSize": 32,
          "dropout": 0,
          "epochs": 2,
          "fontDigitCopies": 2,
          "fontDigits": true,
          "l1": 0,
          "l2": 0,
          "learningRate": 0.008,
          "lrSchedule": "cosine",
          "maxBatchGflops": 0.5,
          "momentum": 0.9,
          "optimizer": "adam",
          "seed": 42,
          "strokeDigits": true,
          "testEveryEpoch": true,
          "testShare": 0.2,
          "testTarget": 0.97,
          "validationShare": 0.1
        },
        "standIn": false
      }
    ],
    "variants": "identity,left,right,bolder,lighter,cw,ccw"
  },
  "fields": [
    {
      "default": 20,
      "flag": "--epochs",
      "help": "passes over the training split",
      "jsName": "epochs",
      "max": 10000,
      "maxOpen": false,
      "min": 1,
      "minOpen": false,
      "name": "epochs",
      "type": "int"
    },
    {
      "default": 32,
      "flag": "--batch-size",
      "help": "samples per gradient step",
      "jsName": "batchSize",
      "max": 4096,
      "maxOpen": false,
      "min": 1,
      "minOpen": false,
      "name": "batch_size",
      "type": "int"
    },
    {
      "choices": [
        "sgd",
        "momentum",
        "nesterov",
        "adam"
      ],
      "default": "adam",
      "flag": "--optimizer",
      "help": "how the weights follow their gradients",
      "jsName": "optimizer",
      "name": "optimizer",
      "type": "choice"
    },
    {
      "default": 0.001,
      "flag": "--learning-rate",
      "help": "step size of the optimizer",
      "jsName": "learningRate",
      "max": 10,
      "maxOpen": false,
      "min": 0,
      "minOpen": true,
      "name": "learning_rate",
      "type": "float"
    },
    {
      "choices": [
        "constant",
        "cosine"
      ],
      "default": "constant",
      "flag": "--lr-schedule",
      "help": "constant, or cosine: from the learning rate down to a tenth of it over the run",
      "jsName": "lrSchedule",
      "name": "lr_schedule",
      "type": "choice"
    },
    {
      "default": 0.9,
      "flag": "--momentum",
      "help": "momentum of the momentum and nesterov optimizers",
      "jsName": "momentum",
      "max": 1,
      "maxOpen": true,
      "min": 0,
      "minOpen": false,
      "name": "momentum",
      "type": "float"
    },
    {
      "default": 0,
      "flag": "--l1",
      "help": "L1 penalty on the weights",
      "jsName": "l1",
      "max": 10,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "l1",
      "type": "float"
    },
    {
      "default": 0,
      "flag": "--l2",
      "help": "L2 penalty on the weights",
      "jsName": "l2",
      "max": 10,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "l2",
      "type": "float"
    },
    {
      "default": 0,
      "flag": "--dropout",
      "help": "dropout rate after each hidden activation of a preset",
      "jsName": "dropout",
      "max": 0.9,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "dropout",
      "type": "float"
    },
    {
      "default": false,
      "flag": "--augment",
      "help": "also train on distorted copies of the training digits, made once before the first epoch",
      "jsName": "augment",
      "name": "augment",
      "type": "bool"
    },
    {
      "default": 0,
      "flag": "--augment-copies",
      "help": "distorted copies per training digit",
      "jsName": "augmentCopies",
      "max": 100,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "augment_copies",
      "type": "int"
    },
    {
      "default": 0,
      "flag": "--font-digit-copies",
      "help": "distorted copies per font and stroke digit, with augment on (0: they join as they are)",
      "jsName": "fontDigitCopies",
      "max": 100,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "font_digit_copies",
      "type": "int"
    },
    {
      "default": false,
      "flag": "--font-digits",
      "help": "add the digits rendered from fonts to the training split",
      "jsName": "fontDigits",
      "name": "font_digits",
      "type": "bool"
    },
    {
      "default": false,
      "flag": "--stroke-digits",
      "help": "add the synthetic pen-stroke digits (drawn on a canvas, read like a drawing) to the training split",
      "jsName": "strokeDigits",
      "name": "stroke_digits",
      "type": "bool"
    },
    {
      "default": 42,
      "flag": "--seed",
      "help": "seeds the split, initialisation, shuffling, dropout and augmentation: same seed, same run",
      "jsName": "seed",
      "max": 4294967295,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "seed",
      "type": "seed"
    },
    {
      "default": 0.2,
      "flag": "--test-share",
      "help": "share of every class held out for the test",
      "jsName": "testShare",
      "max": 1,
      "maxOpen": true,
      "min": 0,
      "minOpen": false,
      "name": "test_share",
      "type": "float"
    },
    {
      "default": 0.1,
      "flag": "--validation-share",
      "help": "share of the rest held out for validation",
      "jsName": "validationShare",
      "max": 1,
      "maxOpen": true,
      "min": 0,
      "minOpen": false,
      "name": "validation_share",
      "type": "float"
    },
    {
      "default": false,
      "flag": "--test-every-epoch",
      "help": "measure the test accuracy after every epoch, outside the training time",
      "jsName": "testEveryEpoch",
      "name": "test_every_epoch",
      "type": "bool"
    },
    {
      "default": 0.97,
      "flag": "--test-target",
      "help": "the test accuracy whose first epoch and training time are reported",
      "jsName": "testTarget",
      "max": 1,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "test_target",
      "type": "float"
    },
    {
      "default": 0,
      "flag": "--max-batch-gflops",
      "help": "refuse a model whose training batch costs more GFLOP of products than this (0: no limit)",
      "jsName": "maxBatchGflops",
      "max": 1000000,
      "maxOpen": false,
      "min": 0,
      "minOpen": false,
      "name": "max_batch_gflops",
      "type": "float"
    }
  ],
  "presets": [
    "linear",
    "mlp",
    "deep_mlp",
    "cnn"
  ],
  "profiles": {
    "defaults": {
      "augment": false,
      "augmentCopies": 0,
      "batchSize": 32,
      "dropout": 0,
      "epochs": 20,
      "fontDigitCopies": 0,
      "fontDigits": false,
      "l1": 0,
      "l2": 0,
      "learningRate": 0.001,
      "lrSchedule": "constant",
      "maxBatchGflops": 0,
      "momentum": 0.9,
      "optimizer": "adam",
      "seed": 42,
      "strokeDigits": false,
      "testEveryEpoch": false,
      "testShare": 0.2,
      "testTarget": 0.97,
      "validationShare": 0.1
    },
    "page": {
      "augment": true,
      "augmentCopies": 6,
      "batchSize": 32,
      "dropout": 0,
      "epochs": 10,
      "fontDigitCopies": 0,
      "fontDigits": true,
      "l1": 0,
      "l2": 0,
      "learningRate": 0.008,
      "lrSchedule": "cosine",
      "maxBatchGflops": 0.5,
      "momentum": 0.9,
      "optimizer": "adam",
      "seed": 42,
      "strokeDigits": true,
      "testEveryEpoch": true,
      "testShare": 0.2,
      "testTarget": 0.97,
      "validationShare": 0.1
    }
  }
};
