"""Checking the records: rules across fields, files and records; 索引号 patterns, codes and working days."""
