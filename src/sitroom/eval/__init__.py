"""sitroom.eval"""
