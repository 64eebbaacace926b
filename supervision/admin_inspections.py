"""(filled by its part of the work)"""
