#!/bin/bash
# Lab: test-iptux-chinese.sh with iptux set to "preference_encode": "gb18030".
exec bash "$(dirname "$0")/test-iptux-chinese.sh" gb18030
