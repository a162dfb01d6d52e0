#!/usr/bin/env node
// The cdktf app (cdktf.json "app"): main.ts, compiled or through ts-node (bin/load.js).
"use strict";
require("./load").load("main");
