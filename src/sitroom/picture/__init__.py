"""sitroom.picture"""
