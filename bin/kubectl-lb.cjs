#!/usr/bin/env node
'use strict';
require('../dist/kubectl-lb.cjs');
